"""What a breathing exercise says around its cues: dialogs/breathe.yaml, validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from assistant.base.datafile import Where, load_yaml, unknown_keys
from assistant.base.settings import DIALOGS_DIR
from assistant.base.text import normalize
from assistant.breathe import fields
from assistant.breathe.patterns import Breath

BREATHE_FILE = DIALOGS_DIR / "breathe.yaml"
TOP_KEYS = {
    "note", "intro", "tones", "words_back", "slower", "faster", "slowest", "fastest", "done",
    "stopped", "labels", "round", "requests",
}  # fmt: skip


class Request(Enum):
    """What can be asked for, said on its own, during an exercise (besides the commands)."""

    SLOWER = "slower"
    FASTER = "faster"
    WORDS = "words"


@dataclass(frozen=True)
class BreatheTexts:
    note: str  # breathe normally if dizzy: said before every exercise
    intro: str  # {description}, {minutes}
    tones: str
    words_back: str
    slower: str
    faster: str
    slowest: str
    fastest: str
    done: str
    stopped: str
    labels: dict[Breath, str]
    round: str  # {round}, {rounds}
    requests: dict[str, Request]  # normalized phrase -> request

    def request(self, said: str) -> Request | None:
        """The request when the whole of `said` is one of its phrases."""
        return self.requests.get(normalize(said))


def load_breathe_texts(path: Path = BREATHE_FILE) -> BreatheTexts:
    where = Where(path)
    top = load_yaml(path)
    unknown_keys(where, top, TOP_KEYS, "")

    def mapping(key: str, allowed: set[str]) -> dict:
        value = top.get(key)
        if not isinstance(value, dict):
            raise where.error(
                top, key, key, f"expected a mapping with {', '.join(sorted(allowed))}"
            )
        unknown_keys(where, value, allowed, key)
        return value

    def text(key: str, *allowed: str) -> str:
        return fields.text(where, top, key, key, allowed)

    labels = mapping("labels", {b.value for b in Breath})
    raw_requests = mapping("requests", {r.value for r in Request})
    requests: dict[str, Request] = {}
    for request in Request:
        keypath = f"requests.{request.value}"
        for phrase in fields.phrases(where, raw_requests, request.value, keypath):
            if phrase in requests:
                taken = requests[phrase].value
                raise where.error(
                    raw_requests, request.value, keypath,
                    f"{phrase!r} already asks for {taken}; a phrase can mean one thing only",
                )  # fmt: skip
            requests[phrase] = request
    return BreatheTexts(
        note=text("note"),
        intro=text("intro", "description", "minutes"),
        tones=text("tones"),
        words_back=text("words_back"),
        slower=text("slower"),
        faster=text("faster"),
        slowest=text("slowest"),
        fastest=text("fastest"),
        done=text("done"),
        stopped=text("stopped"),
        labels={b: fields.text(where, labels, b.value, f"labels.{b.value}") for b in Breath},
        round=text("round", "round", "rounds"),
        requests=requests,
    )
