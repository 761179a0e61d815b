"""Bridges from the real world into inventories: ``ictgraph import councils | ocds | register |
service-levels``.

Each import reads public or in-house data, resolves names to ids without guessing, checks the
YAML it is about to write with the validator, writes it with a JSON report
(``import-report.json``) of everything it could not resolve, and returns that report."""
from __future__ import annotations

from ictgraph.graph_loader.imports.councils import import_councils
from ictgraph.graph_loader.imports.ocds import import_ocds
from ictgraph.graph_loader.imports.register import import_register
from ictgraph.graph_loader.imports.service_levels import import_service_levels, summary_line
from ictgraph.graph_loader.imports.writer import ImportResult, report_rows

__all__ = ["ImportResult", "import_councils", "import_ocds", "import_register", "import_service_levels",
           "report_rows", "summary_line"]
