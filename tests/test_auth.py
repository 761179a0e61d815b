"""The database tests once more, against the local server with authentication on.

Users of Neo4j Desktop, Docker or Aura always sign in; this module starts a second local
server with ``--auth`` (free ports, its own run and data directories) and runs against it:
a load and a reload through the CLI, the query library, the read-only refusals and the
secrets cases. Every ictgraph command below runs as a user's would, with ``NEO4J_URI`` and
``ICTGRAPH_NEO4J_RUN_DIR`` and no ``NEO4J_PASSWORD``: the password comes from the server's
password file. The generated password must never show: not in any command's output (but
``ictgraph neo4j password``'s), not in a file the server writes, not on a command line.
"""
from __future__ import annotations

import dataclasses
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import AuthError

from ictgraph.graph_loader.connect import Neo4jSettings
from ictgraph.graph_loader.server import (
    AlreadyRunningError, ServerError, ServerSettings, StartError, resolve_paths, server_status, start_server,
    stop_server,
)
from ictgraph.graph_loader.server.auth import ensure_password, read_password
from ictgraph.graph_loader.server.config import java_command, launcher_environment, render_neo4j_conf
from ictgraph.graph_loader.server.provision import Distribution
from ictgraph.queries.catalog import CypherQuery, find_query
from ictgraph.queries.runner import QueryRefused, run_read_only
from tests import test_secrets
from tests.estates import ROOT
from tests.neo4j_fixture import local_server_settings
from tests.neo4j_helpers import graph_digest
from tests.test_queries import ARGUMENTS, QUERIES, check_runs_on_the_sample
from tests.test_runner import REFUSED

pytestmark = pytest.mark.neo4j

# A few of the library's questions, asked through `ictgraph query` as a user would.
CLI_QUERIES = ["who_runs_product", "contracts_ending", "organisations_by_capability"]


@dataclass(frozen=True)
class AuthServer:
    settings: ServerSettings
    uri: str
    password: str
    pid: int
    run_dir: Path
    data_dir: Path

    def env(self, **extra: str) -> dict[str, str]:
        """A user's environment for this server: no password, the server's run directory."""
        base = {k: v for k, v in os.environ.items() if k not in ("NEO4J_PASSWORD", "NEO4J_USER")}
        return {**base, "NEO4J_URI": self.uri, "ICTGRAPH_NEO4J_RUN_DIR": str(self.run_dir), **extra}


def run(server: AuthServer, args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run ictgraph as a user would; its output never holds the password."""
    result = subprocess.run([sys.executable, "cli.py", *args], capture_output=True, text=True, cwd=ROOT,
                            env=server.env(**env), stdin=subprocess.DEVNULL, timeout=300)
    assert server.password not in result.stdout + result.stderr, f"ictgraph {args[0]} showed the password"
    return result


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthServer]:
    settings = dataclasses.replace(local_server_settings(tmp_path_factory.mktemp("auth")), auth=True)
    try:
        info = start_server(settings)
    except ServerError as error:
        pytest.fail(f"Could not start the local Neo4j server with --auth: {error}", pytrace=False)
    assert info.auth and info.password_file is not None
    try:
        yield AuthServer(settings, info.bolt_uri, info.password_file.read_text().strip(), info.pid,
                         info.run_dir, info.data_dir)
    finally:
        stop_server(settings)


@pytest.fixture(scope="module")
def driver(auth_server: AuthServer) -> Iterator[neo4j.Driver]:
    with neo4j.GraphDatabase.driver(auth_server.uri, auth=("neo4j", auth_server.password)) as signed_in:
        signed_in.verify_connectivity()
        yield signed_in


@pytest.fixture(scope="module")
def loaded(auth_server: AuthServer, driver: neo4j.Driver) -> str:
    """The sample estate, loaded through the CLI; returns the graph's digest."""
    result = run(auth_server, ["load", "fixtures/sample", "--quiet"])
    assert result.returncode == 0, result.stderr
    return graph_digest(driver)


def test_a_password_file_is_made_once_for_its_owner_alone(tmp_path: Path) -> None:
    paths = resolve_paths(ServerSettings(run_dir=tmp_path / "run", data_dir=tmp_path / "data"))
    old_umask = os.umask(0o000)              # even where new files would be world-readable
    try:
        file = ensure_password(paths)
    finally:
        os.umask(old_umask)
    password = read_password(paths)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600 and password and len(password) == 32
    file.chmod(0o644)
    assert ensure_password(paths) == file and read_password(paths) == password
    assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_password_without_an_auth_server_says_so_in_one_error_and_exits_3(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "cli.py", "neo4j", "password", "--run-dir", str(tmp_path)],
                            capture_output=True, text=True, cwd=ROOT, stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 3 and result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        f'Error: no password in "{tmp_path.resolve()}": the local server was not started with --auth')


def test_the_config_and_command_line_name_the_file_not_the_password(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    settings = ServerSettings(run_dir=tmp_path / "run", data_dir=tmp_path / "data", auth=True)
    paths = resolve_paths(settings)
    ensure_password(paths)
    password = read_password(paths)
    assert password
    conf = render_neo4j_conf(settings, paths)
    command = java_command(Path("java"), Distribution("5.26", tmp_path, tmp_path), settings, paths)
    assert "dbms.security.auth_enabled=true" in conf and password not in conf
    assert f"--initial-password-file={paths.password_file}" in command
    assert not any(password in argument for argument in command)
    monkeypatch.setenv("NEO4J_PASSWORD", "a-password-for-another-server")
    assert "NEO4J_PASSWORD" not in launcher_environment()


def test_the_password_file_is_the_owners_alone(auth_server: AuthServer) -> None:
    mode = stat.S_IMODE((auth_server.run_dir / "password").stat().st_mode)
    assert mode == 0o600 and len(auth_server.password) >= 8 and auth_server.password.isalnum()


def test_status_says_auth_is_on_and_password_shows_it_on_request(auth_server: AuthServer) -> None:
    status = run(auth_server, ["neo4j", "status"])
    assert status.returncode == 0 and "auth" in status.stdout and "on (password in" in status.stdout
    shown = subprocess.run([sys.executable, "cli.py", "neo4j", "password"], capture_output=True, text=True,
                           cwd=ROOT, env=auth_server.env(), stdin=subprocess.DEVNULL, timeout=120)
    assert shown.returncode == 0 and shown.stdout == auth_server.password + "\n" and shown.stderr == ""


def test_neither_no_credentials_nor_the_default_password_sign_in(auth_server: AuthServer,
                                                                 driver: neo4j.Driver) -> None:
    for auth in (None, ("neo4j", "neo4j")):
        with neo4j.GraphDatabase.driver(auth_server.uri, auth=auth) as other:
            with pytest.raises(AuthError):
                other.verify_connectivity()
    driver.verify_connectivity()   # a success resets Neo4j's count of failed sign-ins


def test_commands_find_the_password_only_for_the_local_server(auth_server: AuthServer,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICTGRAPH_NEO4J_RUN_DIR", str(auth_server.run_dir))
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    port = auth_server.settings.bolt_port
    for uri in (auth_server.uri, f"neo4j://localhost:{port}"):
        assert Neo4jSettings.from_env(uri).password == auth_server.password
    for uri in (f"bolt://127.0.0.1:{port + 1}", f"bolt://db.example.org:{port}"):
        assert Neo4jSettings.from_env(uri).password is None
    monkeypatch.setenv("NEO4J_PASSWORD", "from-the-environment")
    assert Neo4jSettings.from_env(auth_server.uri).password == "from-the-environment"


def test_a_start_with_auth_off_is_refused_while_it_runs_with_auth_on(auth_server: AuthServer) -> None:
    with pytest.raises(AlreadyRunningError, match="auth on"):
        start_server(dataclasses.replace(auth_server.settings, auth=False))


def test_a_password_the_data_does_not_hold_is_refused_and_a_running_server_left_alone(
        auth_server: AuthServer) -> None:
    file = auth_server.run_dir / "password"
    file.write_text("Another-passw0rd-entirely\n")
    try:
        with pytest.raises(StartError, match="refused the password") as raised:
            start_server(auth_server.settings)
        assert "stopped it" not in str(raised.value)
    finally:
        file.write_text(auth_server.password + "\n")
    status = server_status(auth_server.settings)
    assert status is not None and status.ready and status.pid == auth_server.pid


def test_load_then_reload_changes_nothing(auth_server: AuthServer, driver: neo4j.Driver, loaded: str) -> None:
    result = run(auth_server, ["load", "fixtures/sample", "--quiet"])
    assert result.returncode == 0, result.stderr
    assert graph_digest(driver) == loaded
    count = driver.execute_query("MATCH (o:Organisation) RETURN count(o) AS n").records[0]["n"]
    assert count > 0


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_each_query_runs_signed_in(driver: neo4j.Driver, loaded: str, query: CypherQuery) -> None:
    check_runs_on_the_sample(driver, query)


@pytest.mark.parametrize("name", CLI_QUERIES)
def test_named_queries_through_the_cli(auth_server: AuthServer, loaded: str, name: str) -> None:
    pairs = [f"--param={p.name}={ARGUMENTS[p.name]}" for p in find_query(name).params]
    result = run(auth_server, ["query", name, *pairs, "--format", "csv"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == ",".join(find_query(name).returns)
    assert len(result.stdout.splitlines()) > 1


@pytest.mark.parametrize("statement", REFUSED)
def test_writes_and_admin_are_refused_signed_in(driver: neo4j.Driver, loaded: str, statement: str) -> None:
    with pytest.raises(QueryRefused):
        run_read_only(driver, statement)
    assert graph_digest(driver) == loaded


@pytest.mark.parametrize("statement", REFUSED[:2])
def test_the_cli_refuses_writes_signed_in(auth_server: AuthServer, driver: neo4j.Driver, loaded: str,
                                         statement: str) -> None:
    result = run(auth_server, ["cypher", statement])
    assert result.returncode != 0 and result.stderr.startswith("Error: the query was refused")
    assert graph_digest(driver) == loaded


@pytest.mark.parametrize("args", test_secrets.FAILING, ids=lambda a: " ".join(a)[:40])
def test_failing_commands_never_show_either_password(auth_server: AuthServer, args: list[str]) -> None:
    """The secrets cases, with a wrong password (test_secrets.PASSWORD) for a user of this server."""
    result = run(auth_server, args, NEO4J_PASSWORD=test_secrets.PASSWORD, NEO4J_USER="architect")
    assert result.returncode == 3, result.stderr
    assert test_secrets.PASSWORD not in result.stdout + result.stderr
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr


def test_a_wrong_password_is_one_error_line_and_exit_3(auth_server: AuthServer, driver: neo4j.Driver) -> None:
    result = run(auth_server, ["cypher", "RETURN 1"], NEO4J_PASSWORD="Wrong-passw0rd-for-neo4j")
    assert result.returncode == 3 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f'Error: {auth_server.uri}: authentication failed for user "neo4j"'
    assert all(line.startswith("Hint: ") for line in lines[1:]) and len(lines) <= 2
    assert "Wrong-passw0rd-for-neo4j" not in result.stderr
    driver.verify_connectivity()


def _files_holding(root: Path, secret: bytes, skip: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and path != skip:
            try:
                if secret in path.read_bytes():
                    found.append(path)
            except OSError:
                pass                      # a file Neo4j holds open and locked: not a log
    return found


def test_the_password_is_in_no_log_no_store_and_no_command_line(auth_server: AuthServer, loaded: str) -> None:
    secret = auth_server.password.encode()
    password_file = auth_server.run_dir / "password"
    logs = list((auth_server.run_dir / "logs").glob("*.log"))
    assert logs and sum(log.stat().st_size for log in logs) > 0
    assert _files_holding(auth_server.run_dir, secret, password_file) == []
    assert _files_holding(auth_server.data_dir, secret, password_file) == []
    server = Path(f"/proc/{auth_server.pid}")
    assert b"--initial-password-file=" in (server / "cmdline").read_bytes()
    for name in ("cmdline", "environ"):
        assert secret not in (server / name).read_bytes(), name
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            assert secret not in cmdline.read_bytes(), cmdline
        except OSError:
            pass                          # a process that ended, or another user's
