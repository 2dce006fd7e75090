"""What a lint run produces: findings, kept apart from how they are found and how they are shown."""

from __future__ import annotations

from typing import NamedTuple

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITY_ORDER = {INFO: 0, WARNING: 1, ERROR: 2}


class Finding(NamedTuple):
    path: str
    line: int
    col: int
    code: str
    severity: str
    message: str
    hint: str

    def at_least(self, severity: str) -> bool:
        return SEVERITY_ORDER[self.severity] >= SEVERITY_ORDER[severity]
