"""Start, stop and report the local Neo4j server.

A start provisions the server if needed, writes ``neo4j.conf``, runs the launcher in its own
session (so it outlives the command that started it), records it in the run-state file and
waits until Bolt answers a query. A stop sends SIGTERM, which Neo4j handles as a clean
shutdown (checkpoint, then exit), and waits for the process to end.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from ictgraph.graph_loader.server.auth import USER, credentials, ensure_password
from ictgraph.graph_loader.server.config import (
    LOOPBACK, java_command, launcher_environment, render_neo4j_conf,
)
from ictgraph.graph_loader.server.errors import AlreadyRunningError, PortInUseError, StartError, StopError
from ictgraph.graph_loader.server.provision import Distribution, find_java, provision
from ictgraph.graph_loader.server.runstate import (
    RunState, clear_state, is_alive, locked_run_dir, read_live_state, remember_child,
    wait_for_exit, write_state,
)
from ictgraph.graph_loader.server.settings import ServerInfo, ServerPaths, ServerSettings, resolve_paths

__all__ = ["bolt_answers", "server_status", "start_server", "stop_server"]

Progress = Callable[[str], None]

STOP_TIMEOUT_SECONDS = 60.0
POLL_SECONDS = 0.5
PROGRESS_EVERY_SECONDS = 15.0


def _say(on_progress: Progress | None, message: str) -> None:
    if on_progress is not None:
        on_progress(message)


def _bolt_probe(uri: str, auth: tuple[str, str] | None) -> str:
    """``"ready"`` if the server at ``uri`` runs ``RETURN 1``, ``"refused"`` if it rejects
    the credentials, else ``"down"``."""
    # Imported here: only the readiness check needs the driver, not settings or provisioning.
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    try:
        with GraphDatabase.driver(uri, auth=auth, connection_timeout=2.0) as driver:
            driver.verify_connectivity()
            with driver.session(database="neo4j") as session:
                session.run("RETURN 1").consume()
        return "ready"
    except AuthError:
        return "refused"
    except (DriverError, Neo4jError, OSError):
        return "down"


def bolt_answers(uri: str, auth: tuple[str, str] | None = None) -> bool:
    """Whether the server at ``uri`` accepts a connection and runs ``RETURN 1``."""
    return _bolt_probe(uri, auth) == "ready"


def _info(state: RunState, paths: ServerPaths, *, already_running: bool, ready: bool) -> ServerInfo:
    http_uri = f"http://{LOOPBACK}:{state.http_port}"
    # Auth off: preselecting "No authentication" lets the Browser connect at once. Auth on:
    # the login form, with the user filled in (never the password).
    login = (f"dbms=bolt://{USER}@{LOOPBACK}:{state.bolt_port}&preselectAuthMethod=NATIVE"
             if state.auth else "preselectAuthMethod=NO_AUTH")
    return ServerInfo(
        bolt_uri=f"bolt://{LOOPBACK}:{state.bolt_port}",
        http_uri=http_uri,
        browser_url=f"{http_uri}/browser/?{login}",
        assets_url=f"http://{LOOPBACK}:{state.assets_port}/",
        pid=state.pid,
        # The running server's own directories, whatever the asking command's defaults.
        data_dir=Path(state.data_dir),
        run_dir=paths.run_dir,
        log_file=Path(state.log_file),
        neo4j_version=state.neo4j_version,
        already_running=already_running,
        ready=ready,
        auth=state.auth,
        password_file=paths.password_file if state.auth else None,
    )


def _check_ports_free(settings: ServerSettings) -> None:
    ports = {"Bolt": (settings.bolt_port, "--bolt-port"),
             "HTTP": (settings.http_port, "--http-port"),
             "assets": (settings.assets_port, "--assets-port")}
    for name, (port, option) in ports.items():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            # As the server will: a port left in TIME_WAIT by a stopped server is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((LOOPBACK, port))
            except OSError:
                raise PortInUseError(
                    f"{name} port {port} on {LOOPBACK} is already in use",
                    hint=f"Stop what uses it (another Neo4j?) or choose another port with {option}.",
                ) from None


def _launch(java: Path, distribution: Distribution, settings: ServerSettings,
            paths: ServerPaths) -> subprocess.Popen[bytes]:
    for directory in (paths.conf_dir, paths.logs_dir, paths.data_dir):
        directory.mkdir(parents=True, exist_ok=True)
    (paths.conf_dir / "neo4j.conf").write_text(render_neo4j_conf(settings, paths))
    command = java_command(java, distribution, settings, paths)
    with open(paths.console_log, "wb") as console:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT,
            cwd=paths.run_dir, env=launcher_environment(), start_new_session=True,
        )
    remember_child(process)
    return process


_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+[+-]\d{4} ")
_EXCEPTION = re.compile(r"[\w.$]+(?:Exception|Error): (.+)")


def _log_excerpt(paths: ServerPaths) -> str:
    """What went wrong, from the console log.

    The last ERROR line with its deepest cause (Neo4j's own failures), else the first
    exception's message (a JVM or configuration failure before logging starts).
    """
    try:
        text = paths.console_log.read_text(errors="replace")
    except OSError:
        return "no output"
    lines = [_TIMESTAMP.sub("", line.strip()) for line in text.splitlines() if line.strip()]
    errors = [i for i, line in enumerate(lines) if line.startswith("ERROR ") or "launcher:" in line]
    if errors:
        causes = [m.group(1) for line in lines[errors[-1]:] if (m := _EXCEPTION.search(line))]
        return " ".join([lines[errors[-1]], *causes[-1:]])
    exceptions = [m.group(1) for line in lines if (m := _EXCEPTION.search(line))]
    return (exceptions or lines[-1:] or ["no output"])[0]


def _terminate(pid: int, timeout: float) -> bool:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    return wait_for_exit(pid, timeout)


def _wait_until_ready(state: RunState, settings: ServerSettings, paths: ServerPaths,
                      on_progress: Progress | None, *, started_here: bool = True) -> None:
    uri = f"bolt://{LOOPBACK}:{state.bolt_port}"
    started = time.monotonic()
    next_report = started + PROGRESS_EVERY_SECONDS
    while time.monotonic() - started < settings.startup_timeout:
        if not is_alive(state.pid):
            clear_state(paths)
            raise StartError(f"Neo4j exited during start-up: {_log_excerpt(paths)}",
                             hint=f'See "{paths.console_log}".')
        answer = _bolt_probe(uri, credentials(paths, state))
        if answer == "ready":
            return
        if answer == "refused":
            _refuse_password(state, paths, stop=started_here)
        if time.monotonic() >= next_report:
            _say(on_progress, f"Still waiting for Bolt on {uri} ({time.monotonic() - started:.0f} s)")
            next_report += PROGRESS_EVERY_SECONDS
        time.sleep(POLL_SECONDS)
    _terminate(state.pid, STOP_TIMEOUT_SECONDS)
    clear_state(paths)
    raise StartError(
        f"Neo4j did not answer Bolt on {uri} within {settings.startup_timeout:.0f} s; stopped it",
        hint=f'See "{paths.console_log}"; a slow machine may need a longer start-up timeout.',
    )


def _refuse_password(state: RunState, paths: ServerPaths, *, stop: bool) -> None:
    """The data directory's ``neo4j`` user has a password other than the generated one.

    A server this call started is stopped; one that was already running is left alone."""
    if stop:
        _terminate(state.pid, STOP_TIMEOUT_SECONDS)
        clear_state(paths)
    raise StartError(
        f'Neo4j refused the password in "{paths.password_file}": the data in '
        f'"{state.data_dir}" has another password for "{USER}"' + ("; stopped it" if stop else ""),
        hint="Start it without --auth, or give a new --data-dir (the generated password is only "
             "set while the user has no password of its own).",
    )


def _start_new(settings: ServerSettings, paths: ServerPaths,
               on_progress: Progress | None) -> ServerInfo:
    java = find_java(on_progress)
    _check_ports_free(settings)
    distribution = provision(paths.cache_dir, on_progress)
    if settings.auth:
        ensure_password(paths)
    process = _launch(java, distribution, settings, paths)
    state = RunState(
        pid=process.pid, bolt_port=settings.bolt_port, http_port=settings.http_port,
        assets_port=settings.assets_port, data_dir=str(paths.data_dir),
        log_file=str(paths.log_file), neo4j_version=distribution.version,
        started_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), auth=settings.auth,
    )
    write_state(paths, state)
    _say(on_progress, f"Starting Neo4j {distribution.version} (pid {process.pid}); "
                      f"log: {paths.log_file}")
    _wait_until_ready(state, settings, paths, on_progress)
    return _info(state, paths, already_running=False, ready=True)


def _reuse_running(state: RunState, settings: ServerSettings, paths: ServerPaths,
                   on_progress: Progress | None) -> ServerInfo:
    wanted = (settings.bolt_port, settings.http_port, settings.assets_port, str(paths.data_dir),
              settings.auth)
    running = (state.bolt_port, state.http_port, state.assets_port, state.data_dir, state.auth)
    if wanted != running:
        raise AlreadyRunningError(
            f'Neo4j is already running from "{paths.run_dir}" with other settings '
            f'(pid {state.pid}, Bolt port {state.bolt_port}, data "{state.data_dir}", '
            f'auth {"on" if state.auth else "off"})',
            hint="Stop it first (ictgraph neo4j stop), or give another --run-dir.",
        )
    _say(on_progress, f"Neo4j is already running (pid {state.pid})")
    _wait_until_ready(state, settings, paths, on_progress, started_here=False)
    return _info(state, paths, already_running=True, ready=True)


def start_server(settings: ServerSettings | None = None,
                 on_progress: Progress | None = None) -> ServerInfo:
    """Start the local server (provisioning it on first use) and wait until Bolt answers.

    When the server of this run directory is already running with the same ports and data
    directory, return it with ``already_running=True`` instead.
    """
    settings = settings or ServerSettings()
    settings.validate()
    paths = resolve_paths(settings)
    with locked_run_dir(paths):
        state = read_live_state(paths)
        if state is not None:
            return _reuse_running(state, settings, paths, on_progress)
        return _start_new(settings, paths, on_progress)


def stop_server(settings: ServerSettings | None = None, on_progress: Progress | None = None,
                timeout: float = STOP_TIMEOUT_SECONDS) -> bool:
    """Stop the server of this run directory; return whether one was running."""
    paths = resolve_paths(settings or ServerSettings())
    if not paths.state_file.exists():
        return False
    with locked_run_dir(paths):
        state = read_live_state(paths)
        if state is None:
            return False
        _say(on_progress, f"Stopping Neo4j (pid {state.pid})")
        if not _terminate(state.pid, timeout):
            raise StopError(
                f"Neo4j (pid {state.pid}) did not stop within {timeout:.0f} s of SIGTERM",
                hint=f"It may still be writing a checkpoint; if it hangs: kill -9 {state.pid}",
            )
        clear_state(paths)
        return True


def server_status(settings: ServerSettings | None = None) -> ServerInfo | None:
    """The server of this run directory, or ``None``; its ports come from the run state.

    ``ready`` tells whether it answered a Bolt query just now.
    """
    paths = resolve_paths(settings or ServerSettings())
    state = read_live_state(paths) if paths.state_file.exists() else None
    if state is None:
        return None
    ready = bolt_answers(f"bolt://{LOOPBACK}:{state.bolt_port}", credentials(paths, state))
    return _info(state, paths, already_running=True, ready=ready)
