"""Plain, frozen records that flow between the pipeline steps."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file; line and column count from 1 (0 = unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line == 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"

    def short(self) -> str:
        """``file:line``, the form stored as provenance on graph nodes."""
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an estate, as the validator reports it."""

    location: Location
    message: str
    hint: str | None = None
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def render(self) -> str:
        """The editor/CI annotation form: ``FILE:LINE:COL: error: WHAT``."""
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass(frozen=True)
class NodeKey:
    """A node's identity: its primary label and its key value."""

    label: str
    key: str


@dataclass(frozen=True)
class NodeRow:
    """One node as the graph holds it: labels and properties (no None values)."""

    label: str
    key: str
    labels: tuple[str, ...]
    properties: tuple[tuple[str, Any], ...]

    @property
    def node_key(self) -> NodeKey:
        return NodeKey(self.label, self.key)

    def props(self) -> dict[str, Any]:
        return dict(self.properties)


@dataclass(frozen=True)
class EdgeRow:
    """One relationship as the graph holds it."""

    type: str
    start: NodeKey
    end: NodeKey
    properties: tuple[tuple[str, Any], ...] = field(default=())

    def props(self) -> dict[str, Any]:
        return dict(self.properties)


class ProgressMessage(str):
    """A progress message that may also say how far a long step has come, so that a
    terminal can draw a bar while a log just keeps the text."""

    done: int | None
    total: int | None

    def __new__(cls, text: str, done: int | None = None, total: int | None = None) -> ProgressMessage:
        message = super().__new__(cls, text)
        message.done, message.total = done, total
        return message
