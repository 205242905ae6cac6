"""The only callbacks a dialog script may name. Names resolve through this table, never through
an import path, so a script file cannot make the program run arbitrary code."""

from __future__ import annotations

from collections.abc import Callable

from transitions import EventData


def answered(event: EventData) -> bool:
    """The person gave an answer (not skipped, not silent)."""
    return bool(event.kwargs.get("answer"))


def skipped(event: EventData) -> bool:
    """The person said skip, or said nothing twice."""
    return not event.kwargs.get("answer")


REGISTRY: dict[str, Callable[[EventData], object]] = {
    "answered": answered,
    "skipped": skipped,
}
