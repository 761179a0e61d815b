"""Content digests of what a load writes, one per scope (the catalogue, each organisation),
so that a reload skips the scopes the database already holds unchanged. Pure but for
:func:`schema_tag`, which reads the schema's own file.

A scope's digest covers every row the load would write for it (nodes with their labels and
properties, bookkeeping such as ``source`` included; the relationships its nodes define),
in canonical order, together with :data:`DIGEST_FORMAT` and a digest of ``schema.yaml``:
a changed schema or digest format makes every stored digest differ, so the next load diffs
everything. Two scopes with equal digests hold rows whose ``repr`` is equal, hence equal
values of equal types; the converse need not hold (reordered properties give another
digest, which costs a diff, never a skipped change).

:func:`files_digest` is coarser: the estate's files, byte for byte, with the schema and the
loader's own code. A load that wrote every scope stores it last; any load forgets it first.
A reload of the same files by the same code finds it and stops before parsing: the files
were valid when they were loaded (the same files, schema and code validate the same way),
and the database holds what they make, unless it was changed other than by a load
(``load --full`` ignores every digest)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import yaml

from ictgraph.graph_loader.model import EdgeRow, NodeRow
from ictgraph.graph_loader.plan import Scopes
from ictgraph.graph_loader.schema import Schema

# Bump when what a digest covers, or how rows are written, changes.
DIGEST_FORMAT = "ictgraph-scope-digest/1"
# The scope name of the whole estate's files digest (no organisation id has spaces).
FILES_SCOPE = "estate files"


def schema_tag(schema: Schema) -> str:
    """The digest format and a hash of the schema file the rows were made with."""
    return f"{DIGEST_FORMAT} {hashlib.sha256(schema.source_path.read_bytes()).hexdigest()}"


def _node_text(node: NodeRow) -> str:
    return repr((node.label, node.key, node.labels, node.properties))


def _edge_text(edge: EdgeRow) -> str:
    return repr((edge.type, edge.start.label, edge.start.key, edge.end.label, edge.end.key, edge.properties))


def rows_digest(tag: str, nodes: Iterable[NodeRow], edges: Iterable[EdgeRow]) -> str:
    """The digest of one scope's rows, whatever order they come in (each row's ``repr``,
    sorted: faster, measured, than sorting the rows and taking one ``repr`` of them all)."""
    digest = hashlib.blake2b(tag.encode(), digest_size=20)
    for texts in (sorted(map(_node_text, nodes)), sorted(map(_edge_text, edges))):
        digest.update(f"\n{len(texts)}\n".encode())
        digest.update("\n".join(texts).encode())
    return digest.hexdigest()


def scope_digests(tag: str, scopes: Scopes) -> dict[str, str]:
    """Each written scope's digest (the catalogue's and every organisation's)."""
    return {name: rows_digest(tag, scopes.nodes[name], scopes.edges[name]) for name in scopes.names()}


def code_tag() -> str:
    """A hash of the loader's code (every module of graph_loader/) and the YAML library's
    version: what turns the same files into rows."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{DIGEST_FORMAT} PyYAML {yaml.__version__}".encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(f"\n{path.relative_to(root)}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def files_digest(schema: Schema, files: list[tuple[str, bytes]]) -> str:
    """The digest of an estate's files (names and bytes, in order), the schema and the code."""
    digest = hashlib.blake2b(f"{schema_tag(schema)} {code_tag()}".encode(), digest_size=20)
    for name, data in files:
        digest.update(f"\n{name}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()
