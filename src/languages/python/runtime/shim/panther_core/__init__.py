"""ruleatlas's panther_core-compatible shim (see enriched_event.py)."""

from panther_core.enriched_event import PantherEvent

__all__ = ["PantherEvent"]
