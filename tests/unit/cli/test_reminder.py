"""`reflect remind`: the time as HH:MM, a systemd user timer that only shows a notification
(or a crontab line where there is no systemd user session), removed again; systemctl and
notify-send are stand-ins here (a test machine has neither a session bus nor a desktop)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from assistant.base.errors import BadInputError, ReflectError
from assistant.cli.reminder import BODY, TITLE, At, Reminder, crontab_line, unit_dir, units


class FakeSystemctl:
    def __init__(self, session: bool = True, fails: tuple[str, ...] = ()) -> None:
        self.session = session
        self.fails = fails
        self.calls: list[list[str]] = []

    def __call__(self, args):
        self.calls.append(list(args))
        return self.session and args[0] not in self.fails


@pytest.fixture
def notify_send(tmp_path, monkeypatch) -> str:
    """A notify-send on PATH (the program the timer runs)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "notify-send"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(bin_dir))
    return str(program)


@pytest.mark.parametrize(("text", "at"), [("21:30", At(21, 30)), (" 7:05 ", At(7, 5))])
def test_a_time_is_hours_and_minutes(text, at):
    assert At.parse(text) == at
    assert str(At(7, 5)) == "07:05"


@pytest.mark.parametrize("text", ["25:00", "7:60", "9pm", "21.30", ""])
def test_anything_else_is_refused_with_an_example(text):
    with pytest.raises(BadInputError, match=r"give a time as HH:MM, e\.g\. 21:30"):
        At.parse(text)


def test_the_timer_only_shows_a_notification(notify_send):
    made = units(At(21, 30), notify_send)
    assert f'ExecStart={notify_send} --app-name=reflect "{TITLE}" "{BODY}"' in made.service
    assert "OnCalendar=*-*-* 21:30:00" in made.timer and "Persistent=false" in made.timer
    assert "reflect evening" in BODY and "Skipping a night is fine" in BODY


def test_the_crontab_line_carries_the_session_bus(notify_send):
    line = crontab_line(At(7, 5), notify_send)
    assert line.startswith(f"5 7 * * * DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/{os.getuid()}")
    assert notify_send in line


def test_the_units_live_under_the_users_config(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert unit_dir() == tmp_path / "systemd" / "user"


def test_reminder_installs_a_timer_and_removes_it(tmp_path, notify_send):
    systemctl = FakeSystemctl()
    reminder = Reminder(tmp_path / "systemd" / "user", systemctl)
    assert "reminder set for 21:30" in reminder.install(At.parse("21:30"))
    assert "OnCalendar=*-*-* 21:30:00" in reminder.timer.read_text()
    assert "notify-send" in reminder.service.read_text()
    assert ["enable", "--now", "reflect-reminder.timer"] in systemctl.calls
    assert reminder.at() == At(21, 30)
    assert "every evening at 21:30" in reminder.describe()
    assert reminder.remove() == "reminder removed"
    assert not reminder.timer.exists() and not reminder.service.exists()
    assert "no reminder set;" in reminder.describe()
    assert reminder.remove() == "no reminder was set"


def test_without_a_user_session_the_crontab_line_is_printed(tmp_path, notify_send):
    crontab = Path(notify_send).with_name("crontab")  # cron is installed, systemd is not
    crontab.write_text("#!/bin/sh\nexit 0\n")
    crontab.chmod(0o755)
    reminder = Reminder(tmp_path / "units", FakeSystemctl(session=False))
    said = reminder.install(At.parse("7:05"))
    assert "crontab -e" in said and said.splitlines()[-1].startswith("5 7 * * * DBUS_SESSION")
    assert not (tmp_path / "units").exists()
    assert "crontab -l" in reminder.describe()
    assert "removed with `crontab -e`" in reminder.remove()


def test_a_timer_that_will_not_start_is_an_error_and_an_idle_one_is_said(tmp_path, notify_send):
    broken = Reminder(tmp_path / "units", FakeSystemctl(fails=("enable",)))
    with pytest.raises(ReflectError, match=r"could not start reflect-reminder\.timer"):
        broken.install(At(21, 30))
    idle = Reminder(tmp_path / "units", FakeSystemctl(fails=("is-active",)))
    assert "not active: is the systemd user session running?" in idle.describe()


def test_without_notify_send_nothing_is_set(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    systemctl = FakeSystemctl()
    with pytest.raises(ReflectError, match="sudo apt-get install libnotify-bin"):
        Reminder(tmp_path / "units", systemctl).install(At(21, 30))
    assert systemctl.calls == [] and not (tmp_path / "units").exists()


def test_reminder_units_pass_systemd_analyze_verify(tmp_path, notify_send):
    analyze = shutil.which("systemd-analyze", path="/usr/bin:/bin")
    if not analyze:
        pytest.skip("systemd-analyze is not installed")
    made = units(At.parse("21:30"), notify_send)
    (tmp_path / "reflect-reminder.service").write_text(made.service)
    (tmp_path / "reflect-reminder.timer").write_text(made.timer)
    done = subprocess.run(
        [analyze, "verify", str(tmp_path / "reflect-reminder.timer"),
         str(tmp_path / "reflect-reminder.service")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_timer_file_without_a_time_is_no_reminder(tmp_path):
    reminder = Reminder(tmp_path, FakeSystemctl())
    reminder.timer.write_text("[Timer]\nOnCalendar=daily\n")
    assert reminder.at() is None
    assert reminder.describe().startswith("no reminder set")
