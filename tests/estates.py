"""Small helpers for tests that build estates from inline YAML."""
from __future__ import annotations

import textwrap
from pathlib import Path

import networkx as nx

from ictgraph.graph_loader import CheckedEstate, Problem, build_graph, check_files, rows_from_files

ROOT = Path(__file__).resolve().parent.parent
# The inventory format's reference page, and its worked examples as files (page order).
FORMAT_PAGE = ROOT / "docs" / "inventory-format.md"
FORMAT_EXAMPLES = ROOT / "fixtures" / "format"

CATALOGUE = """\
format: ictgraph/v1
catalogue:
  vendors:
    - {id: civica, name: Civica, aliases: [Civica UK Ltd]}
    - {id: capita, name: Capita}
  products:
    - {id: civica/openrevenues, name: OpenRevenues, vendor: civica, aliases: [Civica Open Revenues]}
    - {id: capita/one-revenues, name: One Revenues and Benefits, vendor: capita, aliases: [Academy]}
  capabilities:
    - {id: revenues, name: Revenues}
    - {id: council-tax, name: Council tax, parent: revenues}
    - {id: business-rates, name: Business rates, parent: revenues}
  skills:
    - {id: oracle-dba, name: Oracle database administration}
"""


def files(**named: str) -> list[tuple[str, bytes]]:
    """``name=yaml`` pairs as estate files (names get a .yaml suffix; text is dedented)."""
    return [(f"{name}.yaml", textwrap.dedent(text).encode()) for name, text in named.items()]


def check(**named: str) -> CheckedEstate:
    return check_files(files(**named))


def errors_of(**named: str) -> list[Problem]:
    return check(**named).errors


def graph_of(**named: str) -> nx.MultiDiGraph:
    return build_graph(*rows_from_files(files(**named)))


def example_paths(version: str = "v1") -> list[Path]:
    """The worked examples of one format version (``fixtures/format/VERSION/``), in page order."""
    return sorted((FORMAT_EXAMPLES / version).glob("*.yaml"))


def spec_examples(version: str = "v1") -> list[tuple[str, bytes]]:
    """The worked examples of ``docs/inventory-format.md`` as estate files named
    ``spec-example-N.yaml``, N being the example's place on the page (its file name's prefix,
    from 0). The three of v1 form a valid estate."""
    return [(f"spec-example-{path.name.split('-')[0]}.yaml", path.read_bytes()) for path in example_paths(version)]
