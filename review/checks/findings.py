"""What every content check returns, and how findings become a decision.

The prohibited-content rules (702.5) and the Mayor's guidelines (702.3) both speak
in Findings, so the draft form, the approval queue, the worker and the
`check_content` command all show the same thing.
"""

from dataclasses import asdict, dataclass
from enum import IntEnum, StrEnum


class Severity(IntEnum):
    WARN = 1  # shown to the author; does not stop anything
    NEEDS_SUPERVISOR = 2  # 702.3: a supervisor approves it first
    BLOCK = 3  # 702.5: not posted unless a supervisor overrides it with a written justification

    @property
    def label(self) -> str:
        return {1: "Warning", 2: "Needs a supervisor", 3: "Blocked"}[self.value]


class Decision(StrEnum):
    ALLOW = "allow"  # may publish without waiting for a supervisor (702.3)
    NEEDS_APPROVAL = "needs_approval"
    BLOCK = "block"


@dataclass(frozen=True)
class Finding:
    rule: str  # a stable id, e.g. "702.5(b)/ssn"
    clause: str  # the policy clause it enforces, e.g. "702.5(b)"
    severity: Severity
    message: str  # plain words for the author, naming the clause
    start: int | None = None  # span in the checked field's original text; None: the whole post
    end: int | None = None
    field: str = "body"  # "body" or "title"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.name.lower()
        return data


def decide(findings) -> Decision:
    worst = max((f.severity for f in findings), default=None)
    if worst == Severity.BLOCK:
        return Decision.BLOCK
    if worst == Severity.NEEDS_SUPERVISOR:
        return Decision.NEEDS_APPROVAL
    return Decision.ALLOW
