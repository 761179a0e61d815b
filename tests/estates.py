"""Small helpers for tests that build estates from inline YAML."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import networkx as nx

from graph_loader import CheckedEstate, Problem, build_graph, check_files, rows_from_files

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SPEC = SHARED / "spec" / "inventory-format.md"

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


def spec_examples() -> list[tuple[str, bytes]]:
    """The YAML examples of the inventory-format spec, as estate files."""
    blocks = re.findall(r"```yaml\n(.*?)```", SPEC.read_text(encoding="utf-8"), re.S)
    return [(f"spec-example-{i}.yaml", block.encode()) for i, block in enumerate(blocks)]
