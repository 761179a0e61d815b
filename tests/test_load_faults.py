"""Loads under faults, against the real server: a second load is refused while one runs,
a killed load leaves every organisation whole and the next load converges, and transient
errors are retried while permanent ones are not."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import TransientError
from typer.testing import CliRunner

from ictgraph.cli import app
from ictgraph.graph_loader import DatabaseError, load_schema
from ictgraph.graph_loader.lock import LoadInProgress, LoadLease, acquire, release
from ictgraph.graph_loader.write import _UnitWriter
from tests.estates import CATALOGUE, files, spec_examples
from tests.neo4j_helpers import ROOT, graph_digest, stored_graph, subgraph_of, write_files
from tests.synthetic_estate import generate_estate

pytestmark = pytest.mark.neo4j
LOCK = load_schema().load_lock_label


def test_a_second_load_is_refused_while_one_holds_the_lease(clean_neo4j: neo4j.Driver, neo4j_env: str,
                                                            tmp_path: Path) -> None:
    for name, data in spec_examples():
        (tmp_path / name).write_bytes(data)
    holder = LoadLease(LOCK, pid=os.getpid())
    with clean_neo4j.session() as session:
        acquire(session, holder)
        before = graph_digest(clean_neo4j)
        refused = CliRunner().invoke(app, ["load", str(tmp_path), "--quiet"])
        assert refused.exit_code == 3
        assert refused.stderr.startswith(f"Error: another load is in progress (started ")
        assert f"by process {os.getpid()}" in refused.stderr
        assert graph_digest(clean_neo4j) == before
        release(session, holder)
    assert CliRunner().invoke(app, ["load", str(tmp_path), "--quiet"]).exit_code == 0


def test_a_lease_whose_process_died_on_this_machine_is_taken_over(clean_neo4j: neo4j.Driver) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    with clean_neo4j.session() as session:
        acquire(session, LoadLease(LOCK, pid=int(dead.stdout)))
        alive = LoadLease(LOCK)
        acquire(session, alive)  # the dead holder on this machine is taken over at once
        with pytest.raises(LoadInProgress):
            acquire(session, LoadLease(LOCK, host="another-host"))  # a live holder is not
        release(session, alive)
        acquire(session, LoadLease(LOCK, pid=int(dead.stdout)))  # as a killed load leaves it
    write_files(clean_neo4j, spec_examples())
    lock_nodes, _, _ = clean_neo4j.execute_query(f"MATCH (l:{LOCK}) RETURN count(l) AS n")
    assert lock_nodes[0]["n"] == 0


# A load that stops inside the fourth unit's transaction, its writes made and not committed,
# and says so: the test kills it there, however busy the machine.
HELD = "held inside the fourth unit's transaction"
LOAD_SCRIPT = textwrap.dedent("""
    import sys, time, neo4j
    sys.path.insert(0, {root!r})
    from ictgraph.graph_loader import load_schema, rows_from_files
    from ictgraph.graph_loader.write import _UnitWriter, write_rows
    from tests.synthetic_estate import generate_estate
    original, units = _UnitWriter.write, []
    def write(self, tx, unit):
        units.append(unit)
        written = original(self, tx, unit)
        if len(units) == 4:
            print({held!r}, flush=True)
            time.sleep(600)
        return written
    _UnitWriter.write = write
    nodes, edges = rows_from_files(generate_estate(organisations=60, capabilities=25, seed={seed}).files)
    with neo4j.GraphDatabase.driver({uri!r}) as driver:
        write_rows(driver, load_schema(), nodes, edges, unit_budget=400,
                   on_progress=lambda message: print(message, flush=True))
""")


def _estate(seed: int) -> list[tuple[str, bytes]]:
    return generate_estate(organisations=60, capabilities=25, seed=seed).files


def test_a_killed_load_leaves_each_organisation_whole_and_the_next_load_converges(
        clean_neo4j: neo4j.Driver, neo4j_uri: str) -> None:
    write_files(clean_neo4j, _estate(2))
    clean_v2 = graph_digest(clean_neo4j)
    v2 = stored_graph(clean_neo4j)
    clean_neo4j.execute_query("MATCH (n) DETACH DELETE n")
    write_files(clean_neo4j, _estate(1))
    v1 = stored_graph(clean_neo4j)
    loader = subprocess.Popen([sys.executable, "-c", LOAD_SCRIPT.format(root=str(ROOT), seed=2, uri=neo4j_uri, held=HELD)],
                              stdout=subprocess.PIPE, text=True)
    assert loader.stdout is not None
    seen = []
    for line in loader.stdout:
        seen.append(line)
        if HELD in line:  # three units committed, the fourth written and not committed
            break
    loader.send_signal(signal.SIGKILL)
    loader.wait()
    assert HELD in seen[-1], seen
    killed = stored_graph(clean_neo4j)
    organisations = sorted({n[1] for n in v1.nodes if n[0] == "Organisation"})
    states = [(subgraph_of(killed, org) == subgraph_of(v1, org), subgraph_of(killed, org) == subgraph_of(v2, org))
              for org in organisations]
    assert all(old or new for old, new in states), "an organisation was left half-written"
    assert any(new for _, new in states) and any(old and not new for old, new in states)
    write_files(clean_neo4j, _estate(2))
    assert graph_digest(clean_neo4j) == clean_v2


def test_transient_errors_are_retried_and_permanent_ones_are_not(clean_neo4j: neo4j.Driver,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    original = _UnitWriter.write

    def flaky(self, tx, unit):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise TransientError("deadlock detected (test)")
        return original(self, tx, unit)

    monkeypatch.setattr(_UnitWriter, "write", flaky)
    write_files(clean_neo4j, files(catalogue=CATALOGUE))
    assert calls["n"] == 2  # one unit, retried once
    calls["n"] = 0

    def broken(self, tx, unit):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        tx.run("RETURN 1 / 0").consume()

    monkeypatch.setattr(_UnitWriter, "write", broken)
    with pytest.raises(DatabaseError, match="the load failed"):  # full: the unchanged unit is not skipped
        write_files(clean_neo4j, files(catalogue=CATALOGUE), full=True)
    assert calls["n"] == 1


def test_a_server_stopped_during_a_load_gives_exit_3_and_the_next_load_converges(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server of its own, so that stopping it disturbs no other test."""
    from ictgraph.graph_loader.server import start_server, stop_server
    from tests.neo4j_fixture import local_server_settings

    settings = local_server_settings(tmp_path)
    info = start_server(settings)
    try:
        estate = tmp_path / "estate"
        for name, data in _estate(3):
            (estate / name).parent.mkdir(parents=True, exist_ok=True)
            (estate / name).write_bytes(data)
        env = {**os.environ, "NEO4J_URI": info.bolt_uri}
        loader = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "load", str(estate), "--unit-size", "200"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert loader.stderr is not None
        for line in loader.stderr:
            if "writing" in line and "(1/" not in line:
                break
        stop_server(settings)
        try:
            out, err = loader.communicate(timeout=120)
        finally:
            loader.kill()
        assert loader.returncode == 3, err
        assert "Traceback" not in err and err.splitlines()[-2].startswith("Error: ")
        info = start_server(settings)
        load = [sys.executable, str(ROOT / "cli.py"), "load", str(estate), "--quiet"]
        env = {**os.environ, "NEO4J_URI": info.bolt_uri}
        assert subprocess.run(load, env=env, capture_output=True).returncode == 0
        with neo4j.GraphDatabase.driver(info.bolt_uri) as driver:
            after_recovery = graph_digest(driver)
            driver.execute_query("MATCH (n) DETACH DELETE n")
            assert subprocess.run(load, env=env, capture_output=True).returncode == 0
            assert graph_digest(driver) == after_recovery
    finally:
        stop_server(settings)
