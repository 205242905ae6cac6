"""What the end of a transcript says about the turn: still mid-clause, or asking for time.

The words are data in dialogs/turn.yaml, checked on load like the other dialog files.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.base.settings import DIALOGS_DIR
from assistant.base.text import normalize

TOP_KEYS = {"mid_clause_endings", "complete_endings", "holding_phrases"}


@dataclass(frozen=True)
class TurnWords:
    mid_clause: tuple[tuple[str, ...], ...]  # each phrase as its words, normalised
    complete: tuple[tuple[str, ...], ...]
    holding: tuple[tuple[str, ...], ...]

    def ends_mid_clause(self, text: str) -> bool:
        """True when `text` stops on a word that needs more after it ("... and because")."""
        words = tuple(normalize(text).split())
        if any(_ends_with(words, p) for p in self.complete):
            return False
        return any(_ends_with(words, p) for p in self.mid_clause)

    def asks_for_time(self, text: str) -> bool:
        """True when `text` ends with a request for time ("... hold on, let me think")."""
        words = tuple(normalize(text).split())
        return any(_ends_with(words, p) for p in self.holding)

    def only_holding(self, text: str) -> bool:
        """True when `text` is nothing but requests for time ("hold on, let me think")."""
        words = tuple(normalize(text).split())
        while words:
            found = next((p for p in self.holding if _ends_with(words, p)), None)
            if found is None:
                return False
            words = words[: len(words) - len(found)]
        return True


def _ends_with(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    return len(words) >= len(phrase) and words[len(words) - len(phrase) :] == phrase


def _phrases(r: Reader, data: dict, key: str) -> tuple[tuple[str, ...], ...]:
    """Each phrase as its words, normalised; none listed twice."""
    return tuple(tuple(p.split()) for p in r.phrases(data, key, key, noun="word", distinct=True))


def load_turn_words(path: Path) -> TurnWords:
    data = load_yaml(path)
    r = Reader(path)
    unknown_keys(r, data, TOP_KEYS, "")
    mid_clause = _phrases(r, data, "mid_clause_endings")
    complete = _phrases(r, data, "complete_endings")
    for i, phrase in enumerate(complete):
        if not any(_ends_with(phrase, p) for p in mid_clause):
            raise r.error(
                data["complete_endings"],
                i,
                f"complete_endings[{i}]",
                f"{' '.join(phrase)!r} does not end with a mid_clause_endings word, so it "
                "changes nothing; remove it",
            )
    return TurnWords(mid_clause, complete, _phrases(r, data, "holding_phrases"))


@cache
def default_turn_words() -> TurnWords:
    return load_turn_words(DIALOGS_DIR / "turn.yaml")


def ends_mid_clause(text: str) -> bool:
    """True when the transcript stops mid-clause (dialogs/turn.yaml), so the answer goes on."""
    return default_turn_words().ends_mid_clause(text)


def asks_for_time(text: str) -> bool:
    """True when the transcript ends with "give me a minute", "hold on" and the like."""
    return default_turn_words().asks_for_time(text)
