"""Loading a savings model: the defaults of ``queries/suggest/savings_model.yaml`` and replacement files.

Public entry points: :func:`load_savings_model` ``(path: Path | None)`` → :class:`SavingsModel`;
:func:`savings_model_from_mapping` (the same from parsed data); :func:`default_savings_model`.

A replacement file (YAML, or JSON when it ends in ``.json``) holds any of the default file's
keys; keys left out keep their defaults (an empty file changes nothing but the ``model``
name). Unknown keys (with the closest known key offered), values of the wrong type or out
of range, and ranges with ``low > central`` or ``central > high`` are all reported at once
in one :class:`graph_loader.errors.UsageError`.
A replaced parameter's source becomes ``replaced by FILE`` unless the file's own
``sources`` mapping says otherwise.
"""
from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ictgraph.graph_loader.errors import UsageError
from ictgraph.queries.suggest.savings import Grouping, Range, SavingsModel, Schedule, ScoreWeights
from ictgraph.queries.suggest.sharing_params import SECTIONS as SHARING_SECTIONS
from ictgraph.queries.suggest.sharing_params import SharingParams

__all__ = ["DEFAULTS_PATH", "default_savings_model", "load_savings_model", "savings_model_from_mapping"]

DEFAULTS_PATH = Path(__file__).with_name("savings_model.yaml")

_RANGE, _NUMBER, _INTEGER, _BOOLEAN = "range", "number", "integer", "boolean"
# key path → (kind, minimum, maximum); None: unbounded.
_FIELDS: dict[str, tuple[str, float | None, float | None]] = {
    "saving_rate": (_RANGE, 0, 1), "migration_multiple": (_RANGE, 0, None),
    "same_product_factor": (_NUMBER, 0, None), "optimism_bias": (_NUMBER, 0, None),
    "break_ratio": (_NUMBER, 0, 1), "discount_rate": (_NUMBER, 0, 1), "horizon_years": (_INTEGER, 1, 100),
    "schedule.window_months": (_INTEGER, 1, 240), "schedule.lead_time_months": (_INTEGER, 0, 120),
    "schedule.break_early": (_BOOLEAN, None, None), "grouping.max_hops": (_INTEGER, 1, 2),
    "grouping.same_nation": (_BOOLEAN, None, None), "score.value": (_NUMBER, 0, None),
    "score.alignment": (_NUMBER, 0, None), "score.proximity": (_NUMBER, 0, None),
    "score.target": (_NUMBER, 0, None), "score.value_scale": (_NUMBER, 1e-9, None),
    # the sharing kinds beyond applications (queries/suggest/sharing_params.py)
    "datacentre.closure_saving": (_RANGE, 0, 1), "datacentre.shrink_saving": (_RANGE, 0, 1),
    "datacentre.host_marginal_cost": (_RANGE, 0, None), "datacentre.move_multiple": (_RANGE, 0, None),
    "network.saving_rate": (_RANGE, 0, 1), "network.procurement_multiple": (_RANGE, 0, None),
    "skills.thin_fte": (_NUMBER, 0, None), "skills.single_person_fte": (_NUMBER, 0, None),
    "management.small_population": (_INTEGER, 0, None),
    "joint_procurement.saving_rate": (_RANGE, 0, 1), "joint_procurement.coordination_multiple": (_RANGE, 0, None),
}
_SECTIONS = ("schedule", "grouping", "score", *SHARING_SECTIONS)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_value(key: str, value: Any) -> list[str]:
    kind, low, high = _FIELDS[key]
    if kind == _BOOLEAN:
        return [] if isinstance(value, bool) else [f"{key} must be true or false, not {value!r}"]
    if kind == _RANGE:
        if not isinstance(value, Mapping) or sorted(value) != ["central", "high", "low"]:
            return [f"{key} must have exactly low, central and high, not {value!r}"]
        problems = [p for bound in ("low", "central", "high")
                    for p in _check_bound(f"{key}.{bound}", value[bound], _NUMBER, low, high)]
        if not problems and not value["low"] <= value["central"] <= value["high"]:
            problems.append(f"{key} must have low <= central <= high, not {dict(value)!r}")
        return problems
    return _check_bound(key, value, kind, low, high)


def _check_bound(key: str, value: Any, kind: str, low: float | None, high: float | None) -> list[str]:
    wrong_type = not _is_number(value) or (kind == _INTEGER and int(value) != value)
    if wrong_type or (low is not None and value < low) or (high is not None and value > high):
        bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        return [f"{key} must be {'a whole number' if kind == _INTEGER else 'a number'} {bounds}, not {value!r}"]
    return []


def _flatten(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Key paths of a model mapping, and the problems of unknown keys."""
    flat, problems = {}, []
    for key in sorted(data, key=str):
        value = data[key]
        if key in _SECTIONS and isinstance(value, Mapping):
            nested, more = _flatten({f"{key}.{k}": v for k, v in value.items()})
            flat.update(nested)
            problems += more
        elif key == "sources":
            flat[key] = value
        elif key in _FIELDS:
            flat[key] = value
        else:
            close = difflib.get_close_matches(str(key), [*_FIELDS, "sources"], n=1)
            problems.append(f"unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return flat, problems


def _check_sources(value: Any) -> list[str]:
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str)
                                                 for k, v in value.items()):
        return ["sources must map parameter names to text"]
    return []


def _build(flat: Mapping[str, Any], sources: Mapping[str, str], origin: str) -> SavingsModel:
    def rng(key: str) -> Range:
        return Range(*(float(flat[key][b]) for b in ("low", "central", "high")))

    def typed(key: str) -> Any:
        kind = _FIELDS[key][0]
        if kind == _RANGE:
            return rng(key)
        return float(flat[key]) if kind == _NUMBER else int(flat[key]) if kind == _INTEGER else flat[key]

    def section(cls: type, name: str) -> Any:
        return cls(**{f.split(".", 1)[1]: typed(f) for f in _FIELDS if f.startswith(name + ".")})

    return SavingsModel(
        rng("saving_rate"), rng("migration_multiple"), float(flat["same_product_factor"]),
        float(flat["optimism_bias"]), float(flat["break_ratio"]), float(flat["discount_rate"]),
        int(flat["horizon_years"]), section(Schedule, "schedule"), section(Grouping, "grouping"),
        section(ScoreWeights, "score"), tuple(sorted(sources.items())), origin,
        SharingParams(**{name: section(cls, name) for name, cls in SHARING_SECTIONS.items()}))


def savings_model_from_mapping(data: Any, origin: str, base: SavingsModel | None = None) -> SavingsModel:
    """A model from parsed YAML/JSON laid over ``base`` (the defaults when None).

    Raises
    ------
    UsageError
        Naming every unknown key and every value of the wrong type or out of range."""
    if not isinstance(data, Mapping):
        raise UsageError(f'savings model "{origin}" must be a mapping of parameters',
                         "see queries/suggest/savings_model.yaml for the keys and their meaning")
    flat, problems = _flatten(data)
    if base is None:
        problems += [f"missing key {key!r}" for key in _FIELDS if key not in flat]
    problems += [p for k, v in flat.items() for p in (_check_sources(v) if k == "sources" else _check_value(k, v))]
    if problems:
        raise UsageError(f'savings model "{origin}": ' + "; ".join(sorted(problems)),
                         "see queries/suggest/savings_model.yaml for the keys, their meaning and their ranges")
    if base is None:
        return _build(flat, flat.get("sources", {}), origin)
    merged = {**_flat_of(base), **{k: v for k, v in flat.items() if k != "sources"}}
    sources = dict(base.sources)
    for key in flat:
        if key != "sources":
            sources[key.split(".", 1)[0]] = f"replaced by {origin}"
    sources.update(flat.get("sources", {}))
    return _build(merged, sources, origin)


def _flat_of(model: SavingsModel) -> dict[str, Any]:
    data = model.assumptions()
    return {key: (data[key] if "." not in key else data[key.split(".")[0]][key.split(".")[1]])
            for key in _FIELDS}


@lru_cache(maxsize=1)
def default_savings_model() -> SavingsModel:
    """The defaults of ``queries/suggest/savings_model.yaml``."""
    data = yaml.safe_load(DEFAULTS_PATH.read_text(encoding="utf-8"))
    return savings_model_from_mapping(data, "defaults (queries/suggest/savings_model.yaml)")


def load_savings_model(path: Path | None = None) -> SavingsModel:
    """The savings model: the defaults, or ``path``'s values laid over them.

    ``path`` is YAML, or JSON when it ends in ``.json``; keys left out keep their defaults.

    Raises
    ------
    UsageError
        When the file cannot be read or parsed, or holds an unknown key or a bad value.

    Examples
    --------
    >>> load_savings_model().saving_rate
    Range(low=0.1, central=0.2, high=0.25)
    """
    if path is None:
        return default_savings_model()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f'cannot read savings model "{path}": {exc.strerror}',
                         "give the path of a YAML or JSON file") from exc
    kind = "JSON" if str(path).lower().endswith(".json") else "YAML"
    try:
        data = json.loads(text) if kind == "JSON" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise UsageError(f'savings model "{path}" is not valid {kind}: {exc}', "check the file's syntax") from exc
    return savings_model_from_mapping({} if data is None else data, str(path), default_savings_model())
