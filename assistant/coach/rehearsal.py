"""Rehearsal scripts (dialogs/rehearsals/NAME.yaml): the scene, the partner's opening line, what
to practise saying, the partner's replies by kind, the offer of another try and the closing.
Every mistake is one line naming file:line, the key and the fix."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.base.errors import BadInputError
from assistant.coach.findings import ReplyKind

TEXT_KEYS = ("description", "scene", "partner_opening", "ask", "another_try", "closing")
KEYS = {*TEXT_KEYS, "replies"}
#: Replies of one kind, so the partner does not sound canned from one try to the next.
MIN_REPLIES = 3
NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Replies:
    defensive: tuple[str, ...]
    hesitant: tuple[str, ...]
    open: tuple[str, ...]

    def of(self, kind: ReplyKind) -> tuple[str, ...]:
        return getattr(self, kind.value)


@dataclass(frozen=True)
class Rehearsal:
    name: str
    path: Path
    description: str
    scene: str
    partner_opening: str
    ask: str
    replies: Replies
    another_try: str
    closing: str

    @property
    def example(self) -> str | None:
        """The whole sentence quoted in `ask` as an example, if it has no blanks ("...") to fill:
        a calm opener for going back to a talk after a break."""
        match = re.search(r'"([^"]+)"', self.ask)
        return match.group(1) if match and "..." not in match.group(1) else None


def load_rehearsal(path: Path) -> Rehearsal:
    data = load_yaml(path)
    r = Reader(path)
    unknown_keys(r, data, KEYS, "")
    if not NAME.match(path.stem):
        raise r.error(data, None, "name", "name the file in lower case, like worry.yaml")
    texts = {
        key: r.text(data, key, key, problem="missing or empty: write a sentence")
        for key in TEXT_KEYS
    }
    kinds = {k.value for k in ReplyKind}
    replies = r.mapping(data, "replies", "replies", kinds)
    by_kind: dict[str, tuple[str, ...]] = {}
    for kind in sorted(kinds):
        keypath = f"replies.{kind}"
        items = replies.get(kind)
        if not isinstance(items, list):
            raise r.error(replies, kind, keypath, f"missing: add a list of {MIN_REPLIES} or more")
        if len(items) < MIN_REPLIES:  # so the partner does not sound canned
            raise r.error(
                replies, kind, keypath, f"has {len(items)}; add at least {MIN_REPLIES} replies"
            )
        by_kind[kind] = r.texts(
            replies,
            kind,
            keypath,
            problem="expected the partner's words",
            repeated="the same reply twice; vary it",
        )
    return Rehearsal(name=path.stem, path=path, replies=Replies(**by_kind), **texts)


def rehearsal_paths(folder: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def load_rehearsals(folder: Path) -> dict[str, Rehearsal]:
    """Every rehearsal in `folder`, by name (a broken one stops the load, in one line)."""
    return {name: load_rehearsal(path) for name, path in rehearsal_paths(folder).items()}


def find_rehearsal(name: str, folder: Path) -> Rehearsal:
    paths = rehearsal_paths(folder)
    if name not in paths:
        known = ", ".join(paths) or "none"
        raise BadInputError(f"unknown rehearsal {name!r}; rehearsals: {known}")
    return load_rehearsal(paths[name])


def pick_reply(rehearsal: Rehearsal, kind: ReplyKind, attempt: int, seed: int = 0) -> str:
    """The partner's reply of `kind` to attempt number `attempt` (1, 2, ...): the same for the
    same seed and attempt, never the same as the previous attempt's reply of that kind, and in
    an order that differs from script to script and seed to seed."""
    replies = rehearsal.replies.of(kind)
    digest = hashlib.sha256(f"{rehearsal.name}:{kind.value}:{seed}".encode()).digest()
    order = sorted(range(len(replies)), key=lambda i: digest[i % len(digest)] * 64 + i)
    return replies[order[(attempt - 1) % len(replies)]]
