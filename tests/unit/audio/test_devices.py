"""Listing and choosing sound devices through PortAudio, here a stand-in sounddevice module
(this machine may have no sound card): which exist, which are the defaults, and PortAudio's
absence or failure as one clear error."""

from __future__ import annotations

import builtins
import sys
import types

import pytest

from assistant.audio import devices
from assistant.base.errors import AudioDeviceError

DEVICES = [
    {"name": "Built-in Microphone", "max_input_channels": 2, "max_output_channels": 0},
    {"name": "Built-in Speakers", "max_input_channels": 0, "max_output_channels": 2},
    {"name": "USB Headset", "max_input_channels": 1, "max_output_channels": 2},
]


class PortAudioError(Exception):
    pass


def fake_sounddevice(found: list[dict], default=(0, 1), failing: bool = False):
    def query_devices(device=None, kind=None):
        if failing:
            raise PortAudioError("Error querying device -1")
        if kind is None:
            return found
        key = f"max_{kind}_channels"
        index = default[0 if kind == "input" else 1] if device is None else device
        if isinstance(index, str):
            index = next((i for i, d in enumerate(found) if index in d["name"]), -1)
        if not 0 <= index < len(found) or found[index][key] == 0:
            raise ValueError(f"No {kind} device matching {device!r}")
        return found[index]

    return types.SimpleNamespace(
        query_devices=query_devices,
        default=types.SimpleNamespace(device=default),
        PortAudioError=PortAudioError,
    )


@pytest.fixture
def sounddevice(monkeypatch):
    def install(module) -> None:
        monkeypatch.setitem(sys.modules, "sounddevice", module)

    return install


def test_the_default_and_chosen_devices_are_found_by_kind(sounddevice):
    sounddevice(fake_sounddevice(DEVICES))
    assert devices.has_device("input") and devices.has_device("output")
    assert devices.has_device("input", 2) and devices.has_device("output", "USB")
    assert not devices.has_device("input", 1)  # the speakers have no input
    assert not devices.has_device("output", "Bluetooth")  # no such name


def test_no_device_at_all_is_no_device_not_an_error(sounddevice):
    sounddevice(fake_sounddevice([], default=(-1, -1)))
    assert not devices.has_device("input") and not devices.has_device("output")
    assert devices.describe() == "no sound devices found"


def test_the_list_marks_each_devices_roles_and_the_defaults(sounddevice):
    sounddevice(fake_sounddevice(DEVICES, default=(2, 1)))
    lines = devices.describe().splitlines()
    assert lines[0].split() == ["0", "in", "Built-in", "Microphone"]
    assert lines[1].split() == ["1", "out*", "Built-in", "Speakers"]
    assert lines[2].split() == ["2", "in*/out", "USB", "Headset"]
    assert lines[-1] == "(* = default; pass the number or name to --device)"


def test_a_failing_portaudio_is_one_clear_error(sounddevice):
    sounddevice(fake_sounddevice(DEVICES, failing=True))
    with pytest.raises(AudioDeviceError, match="cannot list sound devices"):
        devices.describe()
    assert devices.has_device("input") is False


def test_no_portaudio_library_names_the_package_and_the_ways_around(monkeypatch):
    real_import = builtins.__import__

    def no_library(name, *args, **kwargs):
        if name == "sounddevice":  # sounddevice raises OSError when libportaudio is missing
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_library)
    with pytest.raises(AudioDeviceError, match=r"libportaudio2.*--typed or --audio-in"):
        devices.has_device("input")
