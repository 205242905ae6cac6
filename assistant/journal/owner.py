"""Which process owns a running session, robust to PIDs being reused after a crash or reboot."""

from __future__ import annotations

import os
from pathlib import Path


def process_token(pid: int | None = None) -> str:
    """boot id / pid / start time of the process: the same triple never names two processes."""
    pid = pid or os.getpid()
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        # Field 22 of /proc/PID/stat is the start time; the name before it may contain spaces.
        started = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return f"-/{pid}/-"
    return f"{boot}/{pid}/{started}"


def owner_alive(token: str) -> bool:
    try:
        boot, pid, started = token.split("/")
        number = int(pid)
    except (AttributeError, ValueError):
        return False
    if boot == "-" or started == "-":  # no /proc here: fall back to asking the kernel
        try:
            os.kill(number, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return process_token(number) == token
