"""A rating question (`rating: true` in a script's state): the answer is read as a number from
one to ten, kept on the turn; an unclear reply is asked once more (the state's reprompt)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.dialog.script import StateSpec
from assistant.events import Answer
from assistant.insights.rating import parse_rating


@dataclass(frozen=True)
class RatingReply:
    value: int | None  # the rating said, None when none was (or the state asks for none)
    unclear: bool  # a rating was asked for and the reply held none
    #: Set when the number came from the command grammar, not the transcript: the turn's answer
    #: becomes the grammar's reading and the transcript is kept as "heard".
    grammar: str = ""
    transcript: str = ""

    @property
    def extra(self) -> dict[str, Any] | None:
        """The fields the turn is saved with."""
        if self.value is None:
            return None
        if self.grammar:
            return {"rating": self.value, "answer": self.grammar, "heard": self.transcript}
        return {"rating": self.value}


def read_rating(state: StateSpec, heard: Answer) -> RatingReply:
    if not state.rating:
        return RatingReply(None, unclear=False)
    value = parse_rating(heard.text)
    if value is None and heard.grammar:
        value = parse_rating(heard.grammar)
        if value is not None:
            return RatingReply(value, False, heard.grammar, heard.text)
    return RatingReply(value, unclear=value is None)
