"""The neural voice: a Piper-format VITS model (ONNX) run with onnxruntime, fed the IPA phonemes
of the espeak-ng program (speech/phonemes.py). piper-tts itself is not used: it is GPL-3.0 and
this project is MIT; its file format is simple enough to read here.

The model's .onnx.json maps each phoneme to ids; a sentence is "^" then each phoneme's ids each
followed by the pad "_", then "$". The model takes those ids (`input`, `input_lengths`) and
three `scales`: noise (variation of the sound), length (1 is the voice's own pace, larger is
slower) and noise_w (variation of the timing). It returns float samples at the model's rate.

The model loads (0.25 s) on a thread from the moment the synthesiser is made; the first render
waits for it. A missing or broken model raises SynthesisError there, so the voice falls back
to espeak-ng with a one-line note and the session goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.wav import Audio, resample
from assistant.base.background import Background
from assistant.base.errors import ReflectError
from assistant.base.settings import VoiceSettings
from assistant.speech.onnx_models import open_session
from assistant.speech.phonemes import Phonemizer
from assistant.speech.voice import SynthesisError, sentences

#: The voice's own pace (length scale 1) in the speaking rate's unit, measured over the prompts
#: of dialogs/evening.yaml against espeak-ng at the same --rate: 91.8 s against 93.1 s at 150
#: (scripts/voice_intelligibility.py prints both).
NATURAL_WPM = 185
#: Quiet after each sentence (s): the voice itself stops almost at once, a person breathes.
SENTENCE_PAUSE_S = 0.3
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
#: Longest piece of a sentence given to the model at once (words) where commas allow: its
#: working memory grows with the audio of one run (about 20 MB a second), so long sentences go
#: in pieces cut at their commas, where a person pauses anyway. Measured over evening.yaml's
#: prompts and reprompts: peak memory added 215 MB with pieces of 12 words, 172 MB with 8, 173
#: with 6 (of which the loaded model is 100 MB).
MAX_PIECE_WORDS = 8
#: The model starts each run with 50-65 ms of near quiet: cut to this much (s), so a cue sounds
#: at its planned time (breathing) and a prompt's first sound comes sooner.
LEAD_S = 0.01
_QUIET = 0.01  # of full scale: below it a sample is the model's lead-in
_AFTER_COMMA = re.compile(r"(?<=[,;:])\s+")
#: A prompt's first piece is cut to at most this many words where a phrase begins (before one of
#: _PHRASE_STARTS), so its first sound comes sooner: a run costs about 45 ms plus 17 ms a word
#: here (idle machine), so 3 words are ready in about 90 ms, 8 in 185 ms. A clause longer than
#: MAX_PIECE_WORDS is cut so too (peak memory added 135 MB instead of 155 over evening.yaml's
#: first sentences). A cut is given a comma: the voice pauses there briefly, as a person does.
OPENING_WORDS = 4
_PHRASE_STARTS = frozenset(
    {"that", "and", "but", "or", "so", "because", "when", "if", "with", "about", "for", "while"}
    | {"as", "before", "after", "which", "who"}
)


def pieces(sentence: str) -> list[str]:
    """`sentence` cut at commas into pieces of at most MAX_PIECE_WORDS words where it can be, a
    longer clause cut where a phrase begins."""
    out: list[str] = []
    for clause in _clauses(sentence):
        if out and len(out[-1].split()) + len(clause.split()) <= MAX_PIECE_WORDS:
            out[-1] += " " + clause
        else:
            out.append(clause)
    return [piece for piece in out if piece]


def _clauses(sentence: str) -> Iterator[str]:
    for clause in _AFTER_COMMA.split(sentence.strip()):
        while len(clause.split()) > MAX_PIECE_WORDS:
            first, *rest = phrase_cut(clause, MAX_PIECE_WORDS)
            if not rest:
                break
            yield first
            clause = rest[0]
        yield clause


def phrase_cut(text: str, most_words: int) -> list[str]:
    """[`text`'s first phrase of 2 to `most_words` words + ",", the rest] when a phrase starts
    there (the latest such) and leaves 2 words or more; else [text]."""
    words = text.split()
    for cut in range(min(most_words, len(words) - 2), 1, -1):
        if words[cut].lower() in _PHRASE_STARTS and words[cut - 1][-1] not in ",;:":
            return [" ".join(words[:cut]) + ",", " ".join(words[cut:])]
    return [text]


@dataclass(frozen=True)
class Style:
    """How one speaker is made out of the model: the partner is the same model read slower and
    played faster by `pitch`, so pitch and formants rise together (a smaller vocal tract, like
    another person) while the pace stays the rate asked for."""

    noise_scale: float | None = None  # None: the model's own
    noise_w: float | None = None
    length: float = 1.0  # times the rate's length scale
    pitch: float = 1.0  # > 1 raises pitch and formants by this factor


GUIDE = Style()
PARTNER = Style(noise_scale=0.6, noise_w=0.9, pitch=1.3)  # measured 1.20-1.33 times higher


class NeuralModel:
    """A loaded Piper-format voice: its onnxruntime session and its phoneme table."""

    def __init__(self, onnx_path: Path) -> None:
        config_path = onnx_path.with_name(onnx_path.name + ".json")
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
            self.id_map: dict[str, list[int]] = config["phoneme_id_map"]
            self.rate_hz = int(config["audio"]["sample_rate"])
            inference = config.get("inference", {})
            self.espeak_voice = str(config.get("espeak", {}).get("voice", "en-us"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SynthesisError(f"cannot read {config_path}: {exc}") from None
        self.noise_scale = float(inference.get("noise_scale", 0.667))
        self.length_scale = float(inference.get("length_scale", 1.0))
        self.noise_w = float(inference.get("noise_w", 0.8))
        try:
            # Unoptimised it loads in 0.25 s instead of 0.8 s and renders as fast (measured:
            # real-time factor 0.153 against 0.157, one thread).
            # Without onnxruntime's memory arena and memory patterns it adds 80 MB less
            # (measured 155 MB against 237 over evening.yaml's first sentences), as fast.
            self._session = open_session(onnx_path, "voice", optimise=False, arena=False)
        except ReflectError as exc:
            raise SynthesisError(str(exc)) from None
        self._speakers = any(i.name == "sid" for i in self._session.get_inputs())
        self.phonemizer = Phonemizer(self.espeak_voice)
        # The espeak-ng program started now, on the loading thread. No warm-up run of the model:
        # without the memory arena its first run costs about 25 ms more than the next, less
        # than a warm-up run (60 ms) the first prompt would wait for.
        self.phonemizer.ipa("Hello.")

    def ids(self, phonemes: str) -> list[int]:
        """The model's input for one sentence's phonemes (unknown symbols are left out)."""
        pad = self.id_map["_"]
        out = [*self.id_map["^"], *pad]
        for symbol in phonemes:
            if symbol in self.id_map:
                out += [*self.id_map[symbol], *pad]
        return [*out, *self.id_map["$"]]

    def samples(self, ids: list[int], noise: float, length: float, noise_w: float) -> np.ndarray:
        """Float samples in -1..1 at `rate_hz`."""
        feed: dict[str, Any] = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array([noise, length, noise_w], dtype=np.float32),
        }
        if self._speakers:
            feed["sid"] = np.array([0], dtype=np.int64)
        audio = self._session.run(None, feed)[0]
        return np.asarray(audio, dtype=np.float32).reshape(-1)


def _without_lead_in(samples: np.ndarray, rate_hz: int) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > _QUIET)
    start = max(0, int(loud[0]) - round(LEAD_S * rate_hz)) if len(loud) else 0
    return samples[start:]


class NeuralSynth:
    """The Synthesizer of a neural voice (speech/voice.py's protocol): render(text, slow)."""

    def __init__(
        self,
        settings: VoiceSettings,
        onnx_path: Path,
        style: Style = GUIDE,
        name: str = "neural",
        model: Background[NeuralModel] | None = None,
    ) -> None:
        self.name = name
        self._settings = settings
        self._style = style
        # Loaded on a thread while the first prompt is prepared; a partner shares the guide's.
        self.model = model or Background(lambda: NeuralModel(onnx_path), name="reflect-voice")

    def length_scale(self, slow: bool = False) -> float:
        """The rate (words per minute; the slow rate for what must be taken in) as the model's
        length scale."""
        return NATURAL_WPM / self._settings.rate(slow) * self._style.length

    def parts(self, text: str) -> list[str]:
        """`text` in the pieces the voice renders one by one (each sentence's pieces, the first
        one cut at its opening phrase), so a prompt can be played as each is ready."""
        out = [piece for sentence in sentences(text) for piece in pieces(sentence)]
        return [*phrase_cut(out[0], OPENING_WORDS), *out[1:]] if out else out

    def render(self, text: str, slow: bool = False) -> Audio:
        try:
            model = self.model.result()
        except SynthesisError:
            raise
        except Exception as exc:  # whatever onnxruntime raised while loading
            raise SynthesisError(str(exc).splitlines()[0] if str(exc) else repr(exc)) from None
        style = self._style
        length = self.length_scale(slow) * model.length_scale * style.pitch
        noise = model.noise_scale if style.noise_scale is None else style.noise_scale
        noise_w = model.noise_w if style.noise_w is None else style.noise_w
        pause = np.zeros(round(SENTENCE_PAUSE_S * model.rate_hz * style.pitch), dtype=np.float32)
        parts: list[np.ndarray] = []
        try:
            for sentence in sentences(text):
                for piece in pieces(sentence):
                    phonemes = model.phonemizer.ipa(piece)
                    if phonemes.strip():
                        run = model.samples(model.ids(phonemes), noise, length, noise_w)
                        parts.append(_without_lead_in(run, model.rate_hz))
                if parts and _SENTENCE_END.search(sentence):
                    parts.append(pause)
        except ReflectError as exc:
            raise SynthesisError(str(exc)) from None
        except Exception as exc:  # onnxruntime's own error types are not exported
            raise SynthesisError(f"the neural voice failed: {exc}") from None
        if not parts:
            raise SynthesisError(f"nothing to say in {text!r}")
        audio = np.concatenate(parts) * self._settings.volume
        if style.pitch != 1.0:  # played faster (higher, at the pace asked for), at the model's rate
            audio = resample(audio, round(model.rate_hz * style.pitch), model.rate_hz)
        return Audio(
            np.clip(np.round(audio * 32767), -32768, 32767).astype(np.int16), model.rate_hz
        )

    def close(self) -> None:
        pass
