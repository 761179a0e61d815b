"""An estate as it was at a git revision: ``REV:PATH``, read from the repository's object
store into memory (``git ls-tree`` and ``git cat-file``). The working tree, the index and
HEAD are never touched, so a user's uncommitted work is safe.

The only module that runs git. Its files are named ``REV:PATH/FILE`` (PATH as typed), so
that a validation problem in an old snapshot points at the snapshot."""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ictgraph.graph_loader.errors import UsageError
from ictgraph.graph_loader.sources import YAML_SUFFIXES

_FILE_MODES = ("100644", "100755")   # regular files: not links, not submodules


@dataclass(frozen=True)
class Revision:
    """``REV:PATH`` split: the revision and the path as typed (``.`` when empty)."""

    revision: str
    path: str

    def __str__(self) -> str:
        return f"{self.revision}:{self.path}"


def parse_revision(text: str) -> Revision | None:
    """``REV:PATH`` as a :class:`Revision`, or None for a plain path (one that exists, or has
    no colon). An existing file or directory always wins: ``a:b`` on disk is a path.

    >>> parse_revision("HEAD~1:fixtures/sample")
    Revision(revision='HEAD~1', path='fixtures/sample')
    >>> parse_revision("fixtures/sample") is None
    True
    """
    if ":" not in text or Path(text).exists():
        return None
    revision, _, path = text.partition(":")
    if not revision:
        raise UsageError(f'"{text}" names no revision before ":"', "write REV:PATH, e.g. HEAD~1:fixtures/sample")
    return Revision(revision, path or ".")


def _git(top: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(top), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed: cannot read an estate at a revision",
                         "install git, or give the estate as a directory") from None


def _existing_dir(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.is_dir():
            return candidate
    return Path.cwd()


def repository_of(path: Path) -> tuple[Path, str]:
    """The top of the git repository that holds ``path`` (which need not exist any more)
    and ``path`` relative to it, in git's form."""
    absolute = Path(os.path.realpath(Path.cwd() / path))
    found = _git(_existing_dir(absolute), "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise UsageError(f'"{path}" is not in a git repository',
                         "REV:PATH reads PATH at a revision of the repository that holds it; "
                         "give a plain path for files that git does not keep")
    top = Path(os.path.realpath(found.stdout.decode().strip()))
    relative = os.path.relpath(absolute, top)
    if relative.startswith(".."):
        raise UsageError(f'"{path}" is outside the git repository "{top}"')
    return top, PurePosixPath(Path(relative).as_posix()).as_posix()


def _commit(top: Path, revision: str) -> str:
    found = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if found.returncode != 0:
        raise UsageError(f'unknown revision "{revision}" in the git repository "{top}"',
                         "name a commit, branch or tag (`git log --oneline` lists them), e.g. HEAD~1")
    return found.stdout.decode().strip()


def _tree_files(top: Path, commit: str, relative: str) -> list[tuple[str, str]]:
    """(path in the repository, blob id) of the regular files at ``relative`` in ``commit``."""
    listed = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", relative)
    files = []
    for entry in listed.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if not entry:
            continue
        meta, name = entry.split("\t", 1)
        mode, kind, blob = meta.split()
        if kind == "blob" and mode in _FILE_MODES:
            files.append((name, blob))
    return files


def _read_blobs(top: Path, blobs: list[str]) -> list[bytes]:
    out = _git(top, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in blobs).encode()).stdout
    contents, at = [], 0
    for _ in blobs:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        contents.append(out[header_end + 1:header_end + 1 + size])
        at = header_end + 1 + size + 1
    return contents


def _display(spec: Revision, relative: str, name: str) -> str:
    inside = PurePosixPath(name).relative_to(relative) if relative != "." else PurePosixPath(name)
    typed = PurePosixPath(spec.path)
    return f"{spec.revision}:{(typed / inside).as_posix() if str(inside) != '.' else typed.as_posix()}"


def read_revision_files(spec: Revision) -> list[tuple[str, bytes]]:
    """(display name, bytes) of the YAML files under the path at the revision, sorted."""
    top, relative = repository_of(Path(spec.path))
    commit = _commit(top, spec.revision)
    entries = _tree_files(top, commit, relative)
    if not entries:
        raise UsageError(f'"{spec.path}" is not in revision "{spec.revision}"',
                         f"`git ls-tree -r --name-only {spec.revision}` lists what the revision holds")
    yaml = [(name, blob) for name, blob in entries if PurePosixPath(name).suffix.lower() in YAML_SUFFIXES]
    if not yaml:
        raise UsageError(f'no YAML files under "{spec}"', "inventory files end in .yaml or .yml")
    files = zip((_display(spec, relative, name) for name, _ in yaml), _read_blobs(top, [blob for _, blob in yaml]))
    return sorted(files)
