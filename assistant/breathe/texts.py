"""What a breathing exercise says around its cues: dialogs/breathe.yaml, validated on load."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from assistant.base.datafile import Reader, load_yaml, unknown_keys
from assistant.base.settings import DIALOGS_DIR
from assistant.base.text import normalize
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
    r = Reader(path)
    top = load_yaml(path)
    unknown_keys(r, top, TOP_KEYS, "")

    def text(key: str, *placeholders: str) -> str:
        return r.text(top, key, key, placeholders)

    labels = r.mapping(top, "labels", "labels", {b.value for b in Breath})
    raw_requests = r.mapping(top, "requests", "requests", {q.value for q in Request})
    requests: dict[str, Request] = {}
    for request in Request:
        keypath = f"requests.{request.value}"
        for phrase in r.phrases(raw_requests, request.value, keypath):
            if phrase in requests:
                taken = requests[phrase].value
                raise r.error(
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
        labels={b: r.text(labels, b.value, f"labels.{b.value}") for b in Breath},
        round=text("round", "round", "rounds"),
        requests=requests,
    )
