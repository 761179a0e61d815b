"""JSON text (queries/render.py: to_json, iter_json): exactly the bytes of the standard
library's indented encoder, written in pieces so that a national result is never one string."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictgraph.queries.render import _default, iter_json, to_json


def _library(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_default) + "\n"


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(), st.dates())
KEYS = st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.floats())
TREES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner), st.dictionaries(KEYS, inner),
                                                      st.tuples(inner, inner), st.frozensets(st.integers())),
                     max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(TREES)
def test_the_text_is_the_standard_librarys(data: Any) -> None:
    assert to_json(data) == _library(data)


@pytest.mark.parametrize("chunk", [1, 3, 1 << 16])
def test_the_pieces_join_to_the_whole(chunk: int) -> None:
    data = {"as_of": dt.date(2026, 11, 27), "rows": [{"id": f"r{i}", "npv": {"low": -i, "central": i * 0.5},
                                                       "claims": [], "via": {}, "names": ("Ynys Môn", "\u2028")}
                                                      for i in range(50)]}
    pieces = list(iter_json(data, chunk=chunk))
    assert "".join(pieces) == _library(data)
    assert len(pieces) > 1 if chunk < 100 else len(pieces) == 1


@pytest.mark.parametrize(("data", "error"), [({("a", "b"): 1}, "keys must be str"), ({"x": object()}, "cannot render")])
def test_what_json_cannot_hold_is_an_error(data: Any, error: str) -> None:
    with pytest.raises(TypeError, match=error):
        to_json(data)
