"""ruleatlas's shim of panther_detection_helpers (only `caching`)."""
