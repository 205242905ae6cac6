"""Voice commands and closing phrases, loaded from dialogs/commands.yaml."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.dialog.yamlfile import load_yaml
from assistant.errors import BadScriptError

COMMANDS = ("repeat", "skip", "back", "pause", "continue", "stop")
REPLIES = ("paused", "resumed", "stopped", "first", "movingon", "typed_long")


def normalize(text: str) -> str:
    """Lower case, apostrophes kept, other punctuation and extra spaces dropped."""
    text = text.lower().replace("\u2019", "'")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


@dataclass(frozen=True)
class CommandSet:
    phrases: dict[str, str]  # normalized phrase -> command name
    closing: tuple[str, ...]  # normalized closing phrases
    replies: dict[str, str]  # what the assistant says after a command, by REPLIES key

    def match(self, text: str) -> str | None:
        """The command when `text` is exactly one of its phrases, else None."""
        return self.phrases.get(normalize(text))

    def is_closing(self, text: str) -> bool:
        """True when `text` is exactly a closing phrase ("that's all" said on its own)."""
        return normalize(text) in self.closing

    def grammar(self) -> str:
        """A Vosk grammar: every phrase, plus [unk] to absorb ordinary speech."""
        return json.dumps([*self.phrases, *self.closing, "[unk]"])


def load_commands(path: Path) -> CommandSet:
    data = load_yaml(path)
    where = str(path)
    table = data.get("commands")
    if not isinstance(table, dict):
        raise BadScriptError(f"{where}: 'commands' must map each command to a list of phrases")
    phrases: dict[str, str] = {}
    for name, items in table.items():
        if name not in COMMANDS:
            raise BadScriptError(f"{where}: commands.{name}: unknown command; expected {COMMANDS}")
        if not isinstance(items, list) or not items or not all(isinstance(p, str) for p in items):
            raise BadScriptError(f"{where}: commands.{name}: expected a list of phrases")
        for phrase in items:
            if normalize(phrase) in phrases:
                raise BadScriptError(
                    f"{where}: commands.{name}: {phrase!r} is already a phrase for "
                    f"{phrases[normalize(phrase)]!r}; a phrase can mean one command only"
                )
            phrases[normalize(phrase)] = name
    missing = set(COMMANDS) - set(table)
    if missing:
        raise BadScriptError(f"{where}: commands: add phrases for {sorted(missing)}")
    closing = data.get("closing", [])
    if not isinstance(closing, list) or not all(isinstance(p, str) for p in closing):
        raise BadScriptError(f"{where}: closing: expected a list of phrases")
    replies = data.get("replies")
    if not isinstance(replies, dict):
        raise BadScriptError(f"{where}: replies: expected a mapping with {list(REPLIES)}")
    for key in REPLIES:
        if not isinstance(replies.get(key), str) or not replies[key].strip():
            raise BadScriptError(f"{where}: replies.{key}: expected a line of text")
    return CommandSet(phrases, tuple(normalize(p) for p in closing), dict(replies))
