"""Sound devices through sounddevice (PortAudio)."""

from __future__ import annotations

from types import ModuleType

from assistant.base.errors import AudioDeviceError


def sounddevice() -> ModuleType:
    try:
        import sounddevice as sd
    except OSError:  # PortAudio's shared library is not installed
        raise AudioDeviceError(
            "PortAudio is not installed (sudo apt-get install libportaudio2); "
            "use --typed or --audio-in FILE.wav"
        ) from None
    return sd


def _devices(sd: ModuleType) -> list[dict]:
    try:
        return [dict(d) for d in sd.query_devices()]
    except sd.PortAudioError as exc:
        raise AudioDeviceError(f"cannot list sound devices ({exc})") from None


def has_device(kind: str, device: int | str | None = None) -> bool:
    """Whether a usable input or output device exists (the chosen one, or the default)."""
    sd = sounddevice()
    try:
        sd.query_devices(device, kind=kind)
    except (sd.PortAudioError, ValueError):
        return False
    return True


def describe() -> str:
    sd = sounddevice()
    lines = []
    try:
        default_in, default_out = sd.default.device
    except Exception:
        default_in = default_out = -1
    for index, dev in enumerate(_devices(sd)):
        roles = []
        if dev["max_input_channels"] > 0:
            roles.append("in" + ("*" if index == default_in else ""))
        if dev["max_output_channels"] > 0:
            roles.append("out" + ("*" if index == default_out else ""))
        lines.append(f"{index:3d}  {'/'.join(roles):8s}  {dev['name']}")
    if not lines:
        return "no sound devices found"
    return "\n".join(lines) + "\n(* = default; pass the number or name to --device)"
