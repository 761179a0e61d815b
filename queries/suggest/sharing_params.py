"""The savings model's parameters for the sharing kinds beyond applications.

One frozen section per kind, loaded with the rest of the model from
``queries/suggest/savings_model.yaml`` (:mod:`queries.suggest.savings_file`) and printed in the assumptions
block. Ranges are low / central / high; where a parameter is a cost, the low net saving
pairs the low saving with the high cost, so ``low ≤ central ≤ high`` always holds.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ictgraph.queries.suggest.savings import Range

__all__ = ["DataCentreParams", "JointProcurementParams", "ManagementParams", "NetworkParams", "SharingParams",
           "SkillsParams"]


@dataclass(frozen=True)
class DataCentreParams:
    closure_saving: Range          # share of a closed site's annual cost saved
    shrink_saving: Range           # share of the moved racks' cost saved when a site stays open
    host_marginal_cost: Range      # host's extra cost per rack moved in, share of its cost per used rack
    move_multiple: Range           # one-off move cost, multiple of the moved racks' annual cost


@dataclass(frozen=True)
class NetworkParams:
    saving_rate: Range             # share of the members' network contract value saved by buying together
    procurement_multiple: Range    # one-off cost of the joint procurement and transition, multiple of it


@dataclass(frozen=True)
class SkillsParams:
    thin_fte: float                # a needed skill held below this is thin
    single_person_fte: float       # a needed skill held at more than 0 and at most this rests on one person


@dataclass(frozen=True)
class ManagementParams:
    small_population: int          # an organisation of at most this population is small


@dataclass(frozen=True)
class JointProcurementParams:
    saving_rate: Range             # share of the matched contracts' annual value saved by buying together
    coordination_multiple: Range   # one-off cost of running one procurement together, multiple of it


SECTIONS = {"datacentre": DataCentreParams, "network": NetworkParams, "skills": SkillsParams,
            "management": ManagementParams, "joint_procurement": JointProcurementParams}


@dataclass(frozen=True)
class SharingParams:
    datacentre: DataCentreParams
    network: NetworkParams
    skills: SkillsParams
    management: ManagementParams
    joint_procurement: JointProcurementParams

    def assumptions(self) -> dict[str, dict[str, Any]]:
        """Each section as a JSON-ready mapping (ranges as ``{low, central, high}``)."""
        return {name: {k: (v.as_dict() if isinstance(v, Range) else v) for k, v in vars(getattr(self, name)).items()}
                for name in SECTIONS}
