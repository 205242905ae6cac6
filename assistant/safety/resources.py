"""Where help is, as the user set it with `reflect setup`: the emergency number, a crisis line and
a line for partner abuse. Stored with the journal (its settings), checked when given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.base.errors import BadInputError

#: Keys of the user's settings in the journal (`Journal.config()`).
EMERGENCY_KEY, CRISIS_KEY, ABUSE_KEY = "emergency_number", "crisis_line", "abuse_line"
_EMERGENCY = re.compile(r"^\+?[0-9][0-9 -]*[0-9]$")


@dataclass(frozen=True)
class Resources:
    """Where help is, as the user set it; empty means the default text."""

    emergency_number: str = ""
    crisis_line: str = ""
    abuse_line: str = ""

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Resources:
        return cls(*(str(config.get(key) or "") for key in (EMERGENCY_KEY, CRISIS_KEY, ABUSE_KEY)))

    def to_config(self) -> dict[str, str]:
        return {
            EMERGENCY_KEY: self.emergency_number,
            CRISIS_KEY: self.crisis_line,
            ABUSE_KEY: self.abuse_line,
        }


def check_emergency_number(value: str) -> str:
    """A number as dialled: digits, with spaces, dashes or a leading +."""
    value = " ".join(value.split())
    digits = sum(c.isdigit() for c in value)
    if not _EMERGENCY.match(value) or not 2 <= digits <= 15:
        raise BadInputError(
            f"emergency number {value!r}: use the digits as dialled, e.g. 112, 911 or 999"
        )
    return value


def _check_line(value: str, what: str, example: str) -> str:
    """One line of text that is said aloud after a short lead-in (see support.yaml `help`)."""
    if any(ord(c) < 32 for c in value.replace("\n", "")):
        raise BadInputError(f"{what}: remove the control characters")
    value = " ".join(value.split())
    if not 3 <= len(value) <= 200 or not any(c.isalnum() for c in value):
        raise BadInputError(
            f"{what}: give a name and how to reach it in 3 to 200 characters, e.g. {example}"
        )
    return value


def check_crisis_line(value: str) -> str:
    """Said after "To talk with someone now:"."""
    return _check_line(value, "crisis line", '"Samaritans, call 116 123"')


def check_abuse_line(value: str) -> str:
    """Said after an answer about a partner's violence, threats or control."""
    example = '"National Domestic Abuse Helpline, call 0808 2000 247"'
    return _check_line(value, "abuse line", example)
