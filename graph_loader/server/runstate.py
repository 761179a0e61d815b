"""The run-state file of a local server, its lock, and checks on its process.

``<run dir>/server.json`` records the pid, ports, data directory and log file of the
server started from that run directory, so that ``status`` and ``stop`` work from any
process. A pid counts as the server only while its command line still names the launcher
and this run directory (pids are reused).
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ictgraph.graph_loader.server.settings import ServerPaths

__all__ = [
    "RunState", "clear_state", "is_alive", "locked_run_dir", "read_live_state", "remember_child",
    "wait_for_exit", "write_state",
]

# Servers this process started: waiting on them reaps them, and a reaped child is not
# mistaken for a live one (an unreaped zombie still answers os.kill(pid, 0)).
_children: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class RunState:
    """What ``server.json`` holds."""

    pid: int
    bolt_port: int
    http_port: int
    assets_port: int
    data_dir: str
    log_file: str
    neo4j_version: str
    started_at: str
    auth: bool = False


def remember_child(process: subprocess.Popen[bytes]) -> None:
    _children[process.pid] = process


@contextmanager
def locked_run_dir(paths: ServerPaths) -> Iterator[None]:
    """Hold the run directory's lock: one start or stop at a time per run directory."""
    paths.run_dir.mkdir(parents=True, exist_ok=True)
    with open(paths.run_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def write_state(paths: ServerPaths, state: RunState) -> None:
    partial = paths.state_file.with_suffix(".partial")
    partial.write_text(json.dumps(asdict(state), indent=2) + "\n")
    partial.replace(paths.state_file)


def clear_state(paths: ServerPaths) -> None:
    paths.state_file.unlink(missing_ok=True)


def _read_state(paths: ServerPaths) -> RunState | None:
    try:
        return RunState(**json.loads(paths.state_file.read_text()))
    except (OSError, ValueError, TypeError):
        return None  # missing, half-written or from another version: as good as none


def is_alive(pid: int) -> bool:
    """Whether ``pid`` is a running (not zombie) process."""
    child = _children.get(pid)
    if child is not None:
        return child.poll() is None
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            # The state letter follows the parenthesised command name; Z is a zombie.
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_our_launcher(pid: int, paths: ServerPaths) -> bool:
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.exists():
        return is_alive(pid)  # no /proc (macOS): trust the pid
    try:
        arguments = cmdline.read_bytes().split(b"\0")
    except OSError:
        return False
    home = f"--home-dir={paths.run_dir}".encode()
    return b"Launcher" in arguments and home in arguments


def read_live_state(paths: ServerPaths) -> RunState | None:
    """The state of the server running from ``paths.run_dir``; a stale file is removed."""
    state = _read_state(paths)
    if state is None:
        return None
    if is_alive(state.pid) and _is_our_launcher(state.pid, paths):
        return state
    clear_state(paths)
    return None


def wait_for_exit(pid: int, timeout: float) -> bool:
    """Wait up to ``timeout`` seconds for ``pid`` to exit; return whether it did."""
    child = _children.get(pid)
    if child is not None:
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        del _children[pid]
        return True
    return _poll_for_exit(pid, timeout)


def _poll_for_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(0.2)
    return not is_alive(pid)
