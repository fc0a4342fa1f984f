"""Delete, restore, revert and purge one incident from the entry page."""

from __future__ import annotations

from collections.abc import Callable

from incidents.record import Incident


def render(record: Incident, new_incident: Callable[[], None]) -> None:
    """Placeholder until the store's lifecycle API lands."""


def deleted_list() -> None:
    """Placeholder until the store's lifecycle API lands."""
