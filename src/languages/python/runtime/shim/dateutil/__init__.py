"""ruleatlas's shim of python-dateutil: only `parser.parse` (no package can be downloaded offline)."""
