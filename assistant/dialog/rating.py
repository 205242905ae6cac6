"""A rating question (`rating: true` in a script's state): the answer is read as a number from
one to ten, kept on the turn; an unclear reply is asked once more (the state's reprompt)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.dialog.script import StateSpec
from assistant.insights.rating import parse_rating


@dataclass(frozen=True)
class RatingReply:
    value: int | None  # the rating said, None when none was (or the state asks for none)
    unclear: bool  # a rating was asked for and the reply held none

    @property
    def extra(self) -> dict[str, Any] | None:
        """The fields the turn is saved with."""
        return {"rating": self.value} if self.value is not None else None


def read_rating(state: StateSpec, text: str) -> RatingReply:
    if not state.rating:
        return RatingReply(None, unclear=False)
    value = parse_rating(text)
    return RatingReply(value, unclear=value is None)
