"""The local Neo4j server, for real: one server started for this module, no mocks.

Starting takes 15-25 s once the jars are cached (the first run also fetches them through
Maven); the whole module stays well under a minute and a half.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email.message import Message
from pathlib import Path

import pytest
import yaml
from neo4j import GraphDatabase

from ictgraph.graph_loader.server import (
    AlreadyRunningError, PortInUseError, ServerInfo, ServerSettings, SettingsError,
    ToolMissingError, resolve_paths, server_status, start_server, stop_server,
)
from ictgraph.graph_loader.server.config import ASSETS_DIR, render_neo4j_conf
from tests.neo4j_fixture import free_ports, local_server_settings, wipe_database

ROOT = Path(__file__).resolve().parent.parent
GRASS = ASSETS_DIR / "ictgraph.grass"
GUIDE = ASSETS_DIR / "guide.html"


@dataclass(frozen=True)
class RunningServer:
    settings: ServerSettings
    info: ServerInfo


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    settings = local_server_settings(tmp_path_factory.mktemp("server"))
    info = start_server(settings)
    try:
        yield RunningServer(settings, info)
    finally:
        stop_server(settings)


def _get(url: str) -> tuple[int, Message, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read().decode()


def _run(uri: str, query: str) -> list[dict[str, object]]:
    with GraphDatabase.driver(uri, auth=None) as driver:
        records, _, _ = driver.execute_query(query, database_="neo4j")
        return [record.data() for record in records]


@pytest.mark.neo4j
def test_start_reports_the_bolt_uri_on_loopback(server: RunningServer) -> None:
    assert server.info.bolt_uri == f"bolt://127.0.0.1:{server.settings.bolt_port}"
    assert server.info.already_running is False
    assert server.info.neo4j_version.startswith("5.26.")


@pytest.mark.neo4j
def test_bolt_runs_a_query(server: RunningServer) -> None:
    assert _run(server.info.bolt_uri, "RETURN 1 AS one") == [{"one": 1}]


@pytest.mark.neo4j
def test_http_serves_the_browser(server: RunningServer) -> None:
    status, headers, body = _get(f"http://127.0.0.1:{server.settings.http_port}/browser/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "<html" in body.lower()


@pytest.mark.neo4j
def test_assets_port_serves_the_style_with_cors(server: RunningServer) -> None:
    status, headers, body = _get(f"{server.info.assets_url}ictgraph.grass")
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert body == GRASS.read_text()


@pytest.mark.neo4j
def test_assets_port_serves_nothing_outside_its_directory(server: RunningServer) -> None:
    with pytest.raises(urllib.error.HTTPError, match="404"):
        _get(f"{server.info.assets_url}%2E%2E/pom.xml")


@pytest.mark.neo4j
def test_status_reports_the_running_server(server: RunningServer) -> None:
    status = server_status(server.settings)
    assert status is not None
    assert (status.pid, status.bolt_uri, status.ready) == (server.info.pid, server.info.bolt_uri, True)
    assert status.log_file.is_file()


@pytest.mark.neo4j
def test_second_start_reports_already_running(server: RunningServer) -> None:
    again = start_server(server.settings)
    assert again.already_running is True
    assert (again.pid, again.bolt_uri) == (server.info.pid, server.info.bolt_uri)


@pytest.mark.neo4j
def test_start_with_other_ports_from_the_same_run_dir_is_refused(server: RunningServer) -> None:
    other = replace(server.settings, bolt_port=free_ports(1)[0])
    with pytest.raises(AlreadyRunningError) as caught:
        start_server(other)
    assert caught.value.hint is not None and "stop" in caught.value.hint


@pytest.mark.neo4j
def test_start_on_taken_ports_is_refused(server: RunningServer, tmp_path: Path) -> None:
    other = replace(server.settings, run_dir=tmp_path / "run", data_dir=tmp_path / "data")
    with pytest.raises(PortInUseError, match=f"Bolt port {server.settings.bolt_port}"):
        start_server(other)


@pytest.mark.neo4j
def test_guide_queries_are_valid_cypher(server: RunningServer) -> None:
    queries = re.findall(r'<pre class="[^"]*runnable[^"]*">(.*?)</pre>', GUIDE.read_text(), re.S)
    assert len(queries) >= 5
    with GraphDatabase.driver(server.info.bolt_uri, auth=None) as driver:
        for query in queries:
            text = query.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
            driver.execute_query("EXPLAIN " + text, database_="neo4j")


@pytest.mark.neo4j
def test_wipe_leaves_an_empty_database_with_only_lookup_indexes(server: RunningServer) -> None:
    uri = server.info.bolt_uri
    _run(uri, "CREATE CONSTRAINT org_id IF NOT EXISTS FOR (o:Organisation) REQUIRE o.id IS UNIQUE")
    _run(uri, "CREATE INDEX contract_end IF NOT EXISTS FOR (c:Contract) ON (c.end_date)")
    _run(uri, "UNWIND range(1, 2500) AS i CREATE (:Contract {id: i})-[:WITH]->(:Vendor {id: i})")
    with GraphDatabase.driver(uri, auth=None) as driver:
        wipe_database(driver)
    assert _run(uri, "MATCH (n) RETURN count(n) AS n") == [{"n": 0}]
    assert _run(uri, "SHOW CONSTRAINTS YIELD name") == []
    assert {row["type"] for row in _run(uri, "SHOW INDEXES YIELD type")} == {"LOOKUP"}


@pytest.mark.neo4j
def test_restart_keeps_the_data_and_a_server_stops_with_its_owner(server: RunningServer) -> None:
    _run(server.info.bolt_uri, "CREATE (:Organisation {id: 'E06000047', name: 'County Durham'})")
    assert stop_server(server.settings) is True
    assert server_status(server.settings) is None
    assert stop_server(server.settings) is False
    with subprocess.Popen(["sleep", "300"]) as owner:
        restarted = start_server(replace(server.settings, owner_pid=owner.pid))
        rows = _run(restarted.bolt_uri, "MATCH (o:Organisation) RETURN o.name AS name")
        assert (restarted.already_running, rows) == (False, [{"name": "County Durham"}])
        owner.kill()
    deadline = time.monotonic() + 30
    while server_status(server.settings) is not None and time.monotonic() < deadline:
        time.sleep(0.5)
    assert server_status(server.settings) is None


def test_missing_java_is_reported_with_an_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(ToolMissingError, match='"java" was not found') as caught:
        start_server(ServerSettings(run_dir=tmp_path / "run", data_dir=tmp_path / "data",
                                    cache_dir=tmp_path / "cache"))
    assert caught.value.hint is not None and "apt-get install openjdk-17" in caught.value.hint


def test_missing_maven_is_reported_when_the_jars_are_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    java = shutil.which("java")
    assert java is not None, "these tests need java on PATH"
    (bin_dir / "java").symlink_to(Path(java).resolve())
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    bolt, http, assets = free_ports(3)
    settings = ServerSettings(bolt_port=bolt, http_port=http, assets_port=assets,
                              run_dir=tmp_path / "run", data_dir=tmp_path / "data",
                              cache_dir=tmp_path / "cache")
    with pytest.raises(ToolMissingError, match='"mvn" was not found') as caught:
        start_server(settings)
    assert caught.value.hint is not None and "maven" in caught.value.hint


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bolt_port": 0}, 'Bolt port "0" is not between 1 and 65535'),
        ({"http_port": 7687}, "ports must differ"),
        ({"heap": "1.5g"}, 'heap size "1.5g" is not a size'),
        ({"pagecache": "512"}, 'page cache size "512" is not a size'),
    ],
)
def test_bad_settings_are_refused_before_anything_runs(change: dict[str, object], message: str,
                                                       tmp_path: Path) -> None:
    settings = replace(ServerSettings(run_dir=tmp_path / "run"), **change)  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match=re.escape(message)):
        start_server(settings)
    assert not (tmp_path / "run").exists()


def test_conf_binds_loopback_and_turns_auth_off(tmp_path: Path) -> None:
    settings = ServerSettings(bolt_port=17687, run_dir=tmp_path / "run", data_dir=tmp_path / "d")
    conf = render_neo4j_conf(settings, resolve_paths(settings))
    assert "server.bolt.listen_address=127.0.0.1:17687" in conf
    assert "dbms.security.auth_enabled=false" in conf
    assert f"server.directories.data={(tmp_path / 'd').resolve()}" in conf


def _schema_captions() -> dict[str, str]:
    """The estate's labels and those a saved programme writes beside it."""
    raw = yaml.safe_load((ROOT / "schema.yaml").read_text())
    labels = {**raw["labels"], **raw["programme"]["labels"]}
    return {
        label: spec.get("caption") or labels[spec["extra_of"]]["caption"]
        for label, spec in labels.items()
    }


def test_style_gives_every_schema_label_its_caption() -> None:
    grass = GRASS.read_text()
    rules = dict(re.findall(r"node\.(\w+) \{[^}]*?caption: \"\{(\w+)\}\"", grass))
    assert rules == _schema_captions()


def test_guide_is_a_browser_slide_deck() -> None:
    guide = GUIDE.read_text()
    assert guide.count("<slide") >= 3
    for fragment in ("[:RUNS]-&gt;(s:System)-[:INSTANCE_OF]-&gt;(p:Product)",
                     "ORDER BY k.end_date", "[:SUPPORTS]-&gt;(c:Capability)"):
        assert fragment in guide
