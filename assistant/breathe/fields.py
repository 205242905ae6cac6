"""Typed values out of a loaded YAML mapping (assistant/base/datafile.py), each mistake one
line naming the file, the line, the key and the fix."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from assistant.base.datafile import Where
from assistant.base.text import normalize

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _get(container: dict | list, key: str | int) -> Any:
    if isinstance(container, list):
        return container[key] if isinstance(key, int) and 0 <= key < len(container) else None
    return container.get(key)


def text(
    where: Where,
    container: dict | list,
    key: str | int,
    keypath: str,
    allowed: tuple[str, ...] = (),
) -> str:
    """A line of text (in a mapping, or a list item) whose {placeholders} are all in `allowed`."""
    value = _get(container, key)
    if not isinstance(value, str) or not value.strip():
        raise where.error(
            container, key, keypath, "expected a line of text (in quotes if it has ':')"
        )
    for name in _PLACEHOLDER.findall(value):
        if name not in allowed:
            fix = f"use {', '.join('{' + a + '}' for a in allowed)}" if allowed else "remove it"
            raise where.error(container, key, keypath, f"unknown placeholder {{{name}}}; {fix}")
    return " ".join(value.split())


def texts(where: Where, container: dict, key: str, keypath: str) -> tuple[str, ...]:
    """A non-empty list of lines of text."""
    value = container.get(key)
    if not isinstance(value, list) or not value:
        raise where.error(container, key, keypath, "expected a list of lines of text")
    return tuple(text(where, value, i, f"{keypath}[{i}]") for i in range(len(value)))


def phrases(where: Where, container: dict, key: str, keypath: str) -> tuple[str, ...]:
    """A non-empty list of phrases, normalized (lower case, punctuation dropped)."""
    value = container.get(key)
    if not isinstance(value, list) or not value:
        raise where.error(container, key, keypath, "expected a list of phrases")
    for i, phrase in enumerate(value):
        if not isinstance(phrase, str) or not normalize(phrase):
            raise where.error(
                value, i, f"{keypath}[{i}]",
                f"{phrase!r} is not a phrase; put words in quotes (YAML reads yes, no, on and off "
                "as true or false)",
            )  # fmt: skip
    return tuple(normalize(p) for p in value)


def whole(where: Where, container: dict, key: str, keypath: str, low: int, high: int) -> int:
    """A whole number from `low` to `high`."""
    value = container.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise where.error(container, key, keypath, f"expected a whole number from {low} to {high}")
    return value


def seconds(
    where: Where, container: dict, key: str, keypath: str, low: float, high: float
) -> Fraction:
    """A number from `low` to `high`, kept exact (5.45 is 109/20, not a nearby binary float), so
    planned times are exact sums."""
    value = container.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise where.error(container, key, keypath, f"expected a number from {low:g} to {high:g}")
    return Fraction(str(value))
