"""Obtain the Neo4j server: Java checks, the jars through Maven, the launcher through javac.

Neo4j does not publish its server tarball to Maven Central, so the committed ``pom.xml``
names the jars that the tarball's ``lib/`` holds. Everything is cached:

* Maven's own repository (``~/.m2``) keeps every download, as for any Maven build;
* ``<cache>/neo4j-<version>/lib`` holds the copied jars (about 140 MB, 214 files);
* ``<cache>/neo4j-<version>/classes`` holds the compiled ``Launcher.class``.

Each is marked complete with a hash of its source (``pom.xml``, ``Launcher.java``), so an
interrupted download or an edited source is redone, and an unchanged one is never redone.
After the first run neither ``mvn`` nor the network is needed.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ictgraph.graph_loader.server.errors import INSTALL_HINT, ProvisionError, ToolMissingError

__all__ = ["Distribution", "find_java", "neo4j_version", "provision"]

Progress = Callable[[str], None]

PACKAGE_DIR = Path(__file__).resolve().parent
POM_FILE = PACKAGE_DIR / "pom.xml"
LAUNCHER_SOURCE = PACKAGE_DIR / "Launcher.java"
# Pinned: Maven 3.8 resolves dependency plugin 2.8 by default, whose goals need other options.
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
MARKER = ".ictgraph-source-sha256"
SUPPORTED_JAVA = (17, 21)  # what Neo4j 5.26 supports
MAVEN_TIMEOUT_SECONDS = 1800


@dataclass(frozen=True)
class Distribution:
    """A provisioned server: what ``java -cp`` needs to run the launcher."""

    version: str
    lib_dir: Path
    classes_dir: Path

    @property
    def classpath(self) -> str:
        return f"{self.classes_dir}{os.pathsep}{self.lib_dir / '*'}"


def neo4j_version() -> str:
    """The Neo4j version pinned in ``pom.xml`` (its one source)."""
    namespace = {"m": "http://maven.apache.org/POM/4.0.0"}
    node = ET.parse(POM_FILE).find("m:properties/m:neo4j.version", namespace)
    if node is None or not node.text:
        raise ProvisionError(f'"{POM_FILE}" has no neo4j.version property')
    return node.text.strip()


def _find_tool(name: str) -> Path | None:
    # JAVA_HOME wins for the JDK tools, as it does for Maven and Neo4j's own scripts.
    java_home = os.environ.get("JAVA_HOME")
    if name in ("java", "javac") and java_home and (Path(java_home) / "bin" / name).exists():
        return Path(java_home) / "bin" / name
    found = shutil.which(name)
    return Path(found) if found else None


def _require_tool(name: str, what: str) -> Path:
    tool = _find_tool(name)
    if tool is None:
        raise ToolMissingError(f'"{name}" was not found on PATH; {what}', hint=INSTALL_HINT)
    return tool


def find_java(on_progress: Progress | None = None) -> Path:
    """Return the ``java`` to run Neo4j with; raise if it is missing or older than 17."""
    java = _require_tool("java", "Neo4j needs a Java 17 or 21 runtime")
    result = subprocess.run([str(java), "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(?:1\.)?(\d+)', result.stderr + result.stdout)
    major = int(match.group(1)) if match else 0
    if major < SUPPORTED_JAVA[0]:
        raise ToolMissingError(
            f'"{java}" is Java {major or "of unknown version"}; Neo4j 5.26 needs Java 17 or 21',
            hint=INSTALL_HINT + ", or set JAVA_HOME to a Java 17 or 21",
        )
    if major not in SUPPORTED_JAVA and on_progress:
        on_progress(f"Java {major} is not one Neo4j 5.26 supports (17 or 21); trying anyway")
    return java


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _is_complete(directory: Path, source: Path) -> bool:
    marker = directory / MARKER
    return marker.is_file() and marker.read_text().strip() == _sha256(source)


def _replace_dir(partial: Path, final: Path, source: Path) -> None:
    """Mark ``partial`` complete and move it into place, so a crash never leaves half a cache."""
    (partial / MARKER).write_text(_sha256(source) + "\n")
    if final.exists():
        shutil.rmtree(final)
    partial.rename(final)


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    # Two test sessions provisioning at once must not interleave their downloads.
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _run_logged(command: list[str], log: Path, cwd: Path) -> int:
    with open(log, "w") as out:
        try:
            result = subprocess.run(
                command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, timeout=MAVEN_TIMEOUT_SECONDS, check=False,
            )
        except subprocess.TimeoutExpired:
            return -1
    return result.returncode


def _last_error(log: Path) -> str:
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "error:" in line]
    return re.sub(r"\x1b\[[0-9;]*m", "", (errors or lines or ["no output"])[0]).strip()


def _ensure_jars(home: Path, version: str, on_progress: Progress | None) -> Path:
    lib = home / "lib"
    if _is_complete(lib, POM_FILE):
        return lib
    mvn = _require_tool("mvn", "it fetches the Neo4j jars from Maven Central (first run only)")
    if on_progress:
        on_progress(f"Fetching Neo4j {version} from Maven Central (about 140 MB, first run only)")
    partial = home / "lib.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copyfile(POM_FILE, home / "pom.xml")  # Maven runs where it may write, not in site-packages
    log = home / "maven.log"
    command = [
        str(mvn), "-B", "-f", str(home / "pom.xml"), f"{DEPENDENCY_PLUGIN}:copy-dependencies",
        f"-DoutputDirectory={partial}", "-DincludeScope=runtime",
    ]
    if _run_logged(command, log, home) != 0:
        raise ProvisionError(
            f"Maven could not fetch Neo4j {version}: {_last_error(log)}",
            hint=f'See "{log}"; Maven needs Maven Central (or the mirror in ~/.m2/settings.xml).',
        )
    _replace_dir(partial, lib, POM_FILE)
    return lib


def _ensure_launcher(home: Path, lib: Path, on_progress: Progress | None) -> Path:
    classes = home / "classes"
    if _is_complete(classes, LAUNCHER_SOURCE) and (classes / "Launcher.class").is_file():
        return classes
    javac = _require_tool("javac", "it compiles the small server launcher (first run only)")
    if on_progress:
        on_progress("Compiling the server launcher")
    partial = home / "classes.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    log = home / "javac.log"
    command = [
        str(javac), "--release", "17", "-cp", str(lib / "*"), "-d", str(partial),
        str(LAUNCHER_SOURCE),
    ]
    if _run_logged(command, log, home) != 0:
        raise ProvisionError(
            f"javac could not compile the launcher: {_last_error(log)}", hint=f'See "{log}".'
        )
    _replace_dir(partial, classes, LAUNCHER_SOURCE)
    return classes


def provision(cache_dir: Path, on_progress: Progress | None = None) -> Distribution:
    """Return the cached server under ``cache_dir``, fetching and compiling it if needed.

    Raises :class:`ToolMissingError` when ``mvn`` or ``javac`` is needed and missing, and
    :class:`ProvisionError` when Maven or javac fails.
    """
    version = neo4j_version()
    home = cache_dir / f"neo4j-{version}"
    with _locked(home):
        lib = _ensure_jars(home, version, on_progress)
        classes = _ensure_launcher(home, lib, on_progress)
    return Distribution(version=version, lib_dir=lib, classes_dir=classes)
