"""`reflect remind`: an evening notification inviting to reflect, from a systemd user timer (or a
crontab line where there is no systemd user session). It only shows a notification: nothing
starts a session without the person."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.base.errors import BadInputError, ReflectError

NAME = "reflect-reminder"
TITLE = "A moment to reflect"
BODY = "If you would like to, run reflect evening. Skipping a night is fine too."
_AT = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_ON_CALENDAR = re.compile(r"^OnCalendar=\*-\*-\* (\d\d):(\d\d):00$", re.M)

Systemctl = Callable[[Sequence[str]], bool]


@dataclass(frozen=True)
class At:
    hour: int
    minute: int

    @classmethod
    def parse(cls, text: str) -> At:
        match = _AT.match(text.strip())
        if not match:
            raise BadInputError(f"--at {text!r}: give a time as HH:MM, e.g. 21:30")
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class Units:
    service: str
    timer: str


def notify_send() -> str:
    found = shutil.which("notify-send")
    if not found:
        raise ReflectError(
            "notify-send is not installed, so no reminder could be shown; install it "
            "(sudo apt-get install libnotify-bin) and try again"
        )
    return found


def units(at: At, program: str) -> Units:
    service = (
        "[Unit]\n"
        "Description=reflect: an evening reminder to reflect (a notification, nothing more)\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f'ExecStart={program} --app-name=reflect "{TITLE}" "{BODY}"\n'
    )
    timer = (
        "[Unit]\n"
        f"Description=reflect: the evening reminder at {at}\n\n"
        "[Timer]\n"
        f"OnCalendar=*-*-* {at}:00\n"
        "Persistent=false\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return Units(service, timer)


def crontab_line(at: At, program: str) -> str:
    """cron has no session bus in its environment: the notification needs its address."""
    bus = f"DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{os.getuid()}/bus"
    return f"{at.minute} {at.hour} * * * {bus} {program} --app-name=reflect '{TITLE}' '{BODY}'"


def unit_dir() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "systemd" / "user"


def systemctl(args: Sequence[str]) -> bool:
    """`systemctl --user ARGS`; False where there is no systemd user session to talk to."""
    if not shutil.which("systemctl"):
        return False
    try:
        done = subprocess.run(
            ["systemctl", "--user", *args], capture_output=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def has_user_session(run: Systemctl = systemctl) -> bool:
    return run(["show-environment"])


class Reminder:
    def __init__(self, folder: Path | None = None, run: Systemctl = systemctl) -> None:
        self.folder = folder or unit_dir()
        self._run = run
        self.service = self.folder / f"{NAME}.service"
        self.timer = self.folder / f"{NAME}.timer"

    def install(self, at: At) -> str:
        """Set the reminder; returns what to tell the person."""
        program = notify_send()
        if not has_user_session(self._run) and not shutil.which("crontab"):
            return (
                f"this machine has neither a systemd user session nor cron, so no reminder can "
                f"be set here; install cron (sudo apt-get install cron) and run this again, or "
                f"set one for {at} on your phone"
            )
        if not has_user_session(self._run):
            return (
                "there is no systemd user session here; to be reminded at "
                f"{at}, add this line with `crontab -e`:\n{crontab_line(at, program)}"
            )
        made = units(at, program)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.service.write_text(made.service, encoding="utf-8")
        self.timer.write_text(made.timer, encoding="utf-8")
        if not (self._run(["daemon-reload"]) and self._run(["enable", "--now", self.timer.name])):
            raise ReflectError(f"systemctl --user could not start {self.timer.name}")
        return f"reminder set for {at} every evening (systemd user timer {self.timer.name})"

    def remove(self) -> str:
        if not self.timer.exists() and not self.service.exists():
            if not has_user_session(self._run) and shutil.which("crontab"):
                return "no reminder set here; a crontab line is removed with `crontab -e`"
            return "no reminder was set"
        self._run(["disable", "--now", self.timer.name])
        self.timer.unlink(missing_ok=True)
        self.service.unlink(missing_ok=True)
        self._run(["daemon-reload"])
        return "reminder removed"

    def describe(self) -> str:
        at = self.at()
        if at is None:
            cron = ""
            if not has_user_session(self._run) and shutil.which("crontab"):
                cron = " (a crontab line shows in `crontab -l`)"
            return f"no reminder set{cron}; `reflect remind --at 21:30` sets one"
        active = self._run(["is-active", "--quiet", self.timer.name])
        state = "" if active else " (not active: is the systemd user session running?)"
        return f"reminder every evening at {at}{state}; `reflect remind --off` removes it"

    def at(self) -> At | None:
        try:
            match = _ON_CALENDAR.search(self.timer.read_text(encoding="utf-8"))
        except OSError:
            return None
        return At(int(match[1]), int(match[2])) if match else None
