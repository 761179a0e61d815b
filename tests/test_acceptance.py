"""The compiled field checks never say yes where the full checks find a problem, and say yes
to the plainly written items of the sample estate."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from ictgraph.graph_loader import check_files
from ictgraph.graph_loader.acceptance import acceptance, plainly_valid
from ictgraph.graph_loader.fields import _value_problems
from ictgraph.graph_loader.located import LocatedList, LocatedMap
from ictgraph.graph_loader.model import Location
from ictgraph.graph_loader.schema import FieldSpec, Schema, load_schema
from ictgraph.graph_loader.sources import read_estate_files

HERE = Location("x.yaml", 1, 1)
SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "sample"


def _listed(*values: Any) -> LocatedList:
    located = LocatedList(HERE)
    located.extend(values)
    return located


SCALARS: list[Any] = [
    "", " ", "\u2003", "x", "revs", "Revenues", "E07000117", "E07000117/revs", "civica/openrevenues",
    "council-tax", "High", "saas", "GBP", "gbp", "2025-01-01", "2025-13-01", "2025-01", "2022-23", "2022-24",
    "01/02/2025", 0, 1, -1, 180, 2**63 - 1, 2**63, -(2**63 - 1), -(2**63), 0.0, -0.0, 1.5, -2.5,
    float("nan"), float("inf"), float("-inf"), True, False, None, dt.date(2025, 1, 31),
    dt.datetime(2025, 1, 31, 12, 0), [], {}, {"date": dt.date(2025, 1, 1), "value": 3}]
VALUES: list[Any] = SCALARS + [
    _listed(), _listed("council-tax"), _listed("council-tax", ""), _listed("E07000122", "E06000047"),
    _listed("council-tax", 5), _listed(None), ["council-tax"],
    [{"date": dt.date(2025, 1, 1), "value": 3}], [{"date": "2025-01-01", "value": float("nan")}]]


def _values(schema: Schema) -> list[Any]:
    return VALUES + [value for allowed in schema.enums.values() for value in allowed]


def _every_field(schema: Schema) -> list[FieldSpec]:
    fields = {f for s in schema.sections.values() for f in s.fields.values()}
    return sorted(fields, key=lambda f: (f.name, f.type, repr(f)))


def _fields() -> list[FieldSpec]:
    return _every_field(load_schema())


@pytest.mark.parametrize("spec", _fields(), ids=lambda f: f"{f.name}-{f.type}")
def test_a_value_accepted_has_no_problem(schema: Schema, spec: FieldSpec) -> None:
    accept = acceptance(spec, schema)
    for value in _values(schema):
        if accept(value):
            assert _value_problems(value, spec, schema, HERE) == [], (spec.name, value)


def test_every_field_type_of_the_schema_is_covered(schema: Schema) -> None:
    """Each type accepts some value: the compiled checks are not quietly always False."""
    for spec in _every_field(schema):
        assert any(acceptance(spec, schema)(v) for v in _values(schema)) or spec.type in ("financial_year", "series"), spec


def test_the_sample_items_take_the_quick_way(schema: Schema) -> None:
    checked = check_files(read_estate_files([SAMPLE]))
    quick = [plainly_valid(schema, i.section, i.version, i.data) for i in checked.items]
    assert checked.errors == []
    assert sum(quick) >= 0.9 * len(quick)


@pytest.mark.parametrize("data", [
    {"id": "revs"},                                    # a required field missing
    {"id": "revs", "name": None},                      # a required field empty
    {"id": "revs", "naem": "Revenues"},                # an unknown key
])
def test_an_item_with_a_problem_takes_the_full_way(schema: Schema, data: dict[str, Any]) -> None:
    located = LocatedMap(HERE)
    located.update(data)
    assert not plainly_valid(schema, schema.sections["systems"], schema.format_versions[0], located)
