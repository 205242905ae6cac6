"""Voice commands and closing phrases, loaded from dialogs/commands.yaml."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.base.numbers import number_words
from assistant.base.text import normalize, phrase_key

COMMANDS = ("repeat", "skip", "back", "pause", "continue", "stop", "breathe")
REPLIES = (
    "paused", "go_on", "resumed", "stopped", "stopped_empty", "first", "movingon", "typed_long",
)  # fmt: skip
TOP_KEYS = {"commands", "closing", "courtesy", "farewell", "replies"}


@dataclass(frozen=True)
class CommandSet:
    phrases: dict[str, str]  # normalized phrase -> command name (as the recogniser hears it)
    closing: tuple[str, ...]  # normalized closing phrases
    replies: dict[str, str]  # what the assistant says after a command, by REPLIES key
    #: Words a typed command may come with and still be the command: "repeat please".
    courtesy: tuple[str, ...] = ()
    #: Words that are only a reply to a goodbye, not more of an answer ("thank you, bye").
    farewell: frozenset[str] = frozenset()
    _keys: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = {phrase_key(p): name for p, name in self.phrases.items()}
        keys |= {phrase_key(p): "" for p in self.closing}  # "" marks a closing phrase
        object.__setattr__(self, "_keys", keys)

    def _lookup(self, text: str) -> str | None:
        """The command ("" for a closing phrase) that the whole of `text` says, courtesy words
        before or after allowed; None when it is not one."""
        said = phrase_key(text)
        if said in self._keys:
            return self._keys[said]
        words = said.split()
        polite = {phrase_key(c) for c in self.courtesy}
        while words and words[-1] in polite:
            words.pop()
        while words and words[0] in polite:
            words.pop(0)
        return self._keys.get(" ".join(words)) if words else None

    def match(self, text: str) -> str | None:
        """The command when `text` is exactly one of its phrases, else None."""
        return self._lookup(text) or None

    def is_closing(self, text: str) -> bool:
        """True when `text` is exactly a closing phrase ("that's all" said on its own)."""
        return self._lookup(text) == ""

    def only_farewell(self, text: str) -> bool:
        """True when `text` holds words and all are farewell words."""
        words = normalize(text).split()
        return bool(words) and all(w in self.farewell for w in words)

    def grammar(self, extra: Sequence[str] = ()) -> str:
        """A Vosk grammar: every phrase, the numbers a rating is said in (the free-text decoder
        hears a lone "seven" as "sam and"), `extra` phrases (asking for time), plus [unk] to
        absorb ordinary speech."""
        numbers = list(number_words().values)
        ratings = [*numbers, *(f"{n} out of ten" for n in numbers)]
        phrases = dict.fromkeys([*self.phrases, *self.closing, *ratings, *extra])
        return json.dumps([*phrases, "[unk]"])


def load_commands(path: Path) -> CommandSet:
    r = Reader(path)
    data = load_yaml(path)
    unknown_keys(r, data, TOP_KEYS, "")
    table = r.mapping(data, "commands", "commands", set(COMMANDS))
    phrases: dict[str, str] = {}
    keys: dict[str, str] = {}  # phrase_key -> what it means, as phrases are matched
    for name in COMMANDS:
        if name not in table:
            raise r.error(data, "commands", f"commands.{name}", "missing; add its phrases")
        items = r.strings(table, name, f"commands.{name}")
        for i, phrase in enumerate(items):
            key = phrase_key(phrase)
            if key in keys:
                raise r.error(
                    items,
                    i,
                    f"commands.{name}[{i}]",
                    f"{phrase!r} is already a phrase for {keys[key]!r}; a phrase can mean one "
                    "command only",
                )
            phrases[normalize(phrase)] = keys[key] = name
    closing = r.strings(data, "closing", "closing") if "closing" in data else []
    for i, phrase in enumerate(closing):
        if phrase_key(phrase) in keys:
            raise r.error(
                closing,
                i,
                f"closing[{i}]",
                f"{phrase!r} is already a phrase for {keys[phrase_key(phrase)]!r}; a closing "
                "phrase cannot be a command",
            )
    courtesy = r.strings(data, "courtesy", "courtesy") if "courtesy" in data else []
    farewell = r.strings(data, "farewell", "farewell") if "farewell" in data else []
    replies = r.mapping(data, "replies", "replies", set(REPLIES))
    texts = {key: r.text(replies, key, f"replies.{key}") for key in REPLIES}
    return CommandSet(
        phrases,
        tuple(normalize(p) for p in closing),
        texts,
        tuple(normalize(c) for c in courtesy),
        frozenset(w for f in farewell for w in normalize(f).split()),
    )
