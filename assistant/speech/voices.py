"""The one table of voices the assistant can speak with (`reflect voices`, `--voice NAME`), and
the synthesisers each one means for the guide and for a rehearsal's partner.

Every list ends with espeak-ng: when the neural model is missing or fails, the voice notes it on
one line and goes on with the next synthesiser (speech/voice.py, Voice._render).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from assistant.audio.wav import Audio
from assistant.base.background import Background
from assistant.base.errors import BadInputError
from assistant.base.settings import PARTNER_VOICE, VoiceSettings
from assistant.speech.neural_voice import GUIDE, PARTNER, NeuralModel, NeuralSynth, Style
from assistant.speech.onnx_models import MODELS_DIR
from assistant.speech.voice import EspeakCliSynth, Pyttsx3Synth, Synthesizer

DEFAULT_VOICE = VoiceSettings.voice_name


@dataclass(frozen=True)
class VoiceEntry:
    name: str
    kind: str  # "neural" or "espeak"
    about: str
    model: Path | None = None  # the neural voice's .onnx (its .onnx.json beside it)

    @property
    def installed(self) -> bool:
        if self.model is None:
            return True  # espeak-ng is a system package the set-up installs
        return self.model.is_file() and self.model.with_name(self.model.name + ".json").is_file()


VOICES: tuple[VoiceEntry, ...] = (
    VoiceEntry("joe", "neural", "en_US-joe-medium: a calm US English man's voice (Piper, VITS)",
               MODELS_DIR / "en_US-joe-medium" / "en_US-joe-medium.onnx"),
    VoiceEntry("espeak", "espeak", "espeak-ng through pyttsx3: clear, quick, robotic"),
)  # fmt: skip
BY_NAME = {voice.name: voice for voice in VOICES}

_loads: dict[Path, Background[NeuralModel]] = {}  # one load per model and process


def find_voice(name: str) -> VoiceEntry:
    try:
        return BY_NAME[name]
    except KeyError:
        raise BadInputError(
            f"--voice {name}: no such voice; use one of {', '.join(BY_NAME)} (reflect voices)"
        ) from None


def _load(path: Path) -> Background[NeuralModel]:
    if path not in _loads:
        _loads[path] = Background(lambda: NeuralModel(path), name="reflect-voice")
    return _loads[path]


def preload(name: str) -> None:
    """Begin loading the voice `name` (0.5 s) on a thread now, as the Vosk model is, so that it
    is ready by the first prompt; a failure is reported when the voice is first used."""
    voice = BY_NAME.get(name)
    if voice is not None and voice.model is not None:
        _load(voice.model)


def _neural(voice: VoiceEntry, settings: VoiceSettings, style: Style) -> NeuralSynth:
    assert voice.model is not None
    name = f"the {voice.name} voice"
    return NeuralSynth(settings, voice.model, style, name=name, model=_load(voice.model))


def guide_synths(settings: VoiceSettings) -> list[Synthesizer]:
    """The guide's synthesisers, best first (settings.voice_name picks the first)."""
    voice = find_voice(settings.voice_name)
    fallback: list[Synthesizer] = [Pyttsx3Synth(settings), EspeakCliSynth(settings)]
    if voice.kind == "neural":
        return [_neural(voice, settings, GUIDE), *fallback]
    return fallback


def partner_synths(settings: VoiceSettings) -> list[Synthesizer]:
    """A rehearsal partner's: clearly not the guide's voice (espeak-ng's female variant last)."""
    voice = find_voice(settings.voice_name)
    espeak = EspeakCliSynth(replace(settings, voice=PARTNER_VOICE))
    if voice.kind == "neural":
        return [_neural(voice, settings, PARTNER), espeak]
    return [espeak]


def render_with(
    text: str, name: str = DEFAULT_VOICE, rate_wpm: int = 150, partner: bool = False
) -> Audio:
    """`text` spoken by the voice `name` at `rate_wpm`, without falling back (tests and benches
    render speech with it): an Audio, or SynthesisError."""
    settings = replace(VoiceSettings(), voice_name=name, rate_wpm=rate_wpm)
    if find_voice(name).kind == "espeak":  # the program: the same speech as pyttsx3, no thread
        return EspeakCliSynth(replace(settings, voice=PARTNER_VOICE if partner else "")).render(
            text
        )
    return (partner_synths(settings) if partner else guide_synths(settings))[0].render(text)
