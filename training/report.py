"""The Mayor's office's training report (702.8): who is current, expiring, lapsed or never
trained, per module, filterable, and as CSV."""

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from accounts.models import Authorization, User

from .models import Completion, TrainingModule
from .services import ModuleStatus, Status, module_status


@dataclass
class ReportRow:
    person: User
    result: ModuleStatus

    @property
    def module(self) -> TrainingModule:
        return self.result.module


@dataclass
class ModuleSummary:
    module: TrainingModule
    counts: Counter = field(default_factory=Counter)

    def count(self, status: str) -> int:
        return self.counts[status]

    @property
    def in_order(self) -> list[tuple[str, int]]:
        return [(status, self.counts[status]) for status in Status.ORDER]


@dataclass
class Report:
    rows: list[ReportRow]
    summaries: list[ModuleSummary]
    people: int
    people_current: int  # current in every required module shown


def people_for(*, department=None, role="", authorized_only=False, query=""):
    people = User.objects.filter(is_active=True)
    if department is not None:
        people = people.filter(department=department)
    if role:
        people = people.filter(groups__name=role)
    if authorized_only:
        people = people.filter(pk__in=Authorization.objects.current().values("user"))
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(username__icontains=query)
        )
    return people.distinct()


def build_report(*, modules=None, status="", at=None, **people_filters) -> Report:
    """Every active person in every module asked for; `status` narrows the rows, not the
    per-module figures."""
    at = at or timezone.now()
    people_qs = people_for(**people_filters)
    people = list(
        people_qs.select_related("department").order_by("last_name", "first_name", "username")
    )
    modules = list(modules if modules is not None else TrainingModule.objects.in_order())
    completions = defaultdict(list)
    for completion in Completion.objects.passed().filter(
        module__in=modules, user__in=people_qs.values("pk")
    ):
        completions[completion.user_id, completion.module_id].append(completion)

    summaries = {module.pk: ModuleSummary(module) for module in modules}
    rows, people_current = [], 0
    for person in people:
        all_current = True
        for module in modules:
            result = module_status(module, completions[person.pk, module.pk], at)
            summaries[module.pk].counts[result.status] += 1
            if module.required and not result.is_current:
                all_current = False
            if not status or result.status == status:
                rows.append(ReportRow(person, result))
        people_current += all_current
    return Report(rows, list(summaries.values()), len(people), people_current)


COLUMNS = [
    "Employee",
    "Username",
    "Department",
    "Module",
    "Required",
    "Status",
    "Note",
    "Version completed",
    "Completed at",
    "Score (%)",
    "Expires at",
]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet runs a cell that starts with one of these as a formula.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def write_csv(report: Report, out) -> None:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in report.rows:
        completion = row.result.completion
        writer.writerow(
            _cell(value)
            for value in (
                row.person.get_full_name() or row.person.username,
                row.person.username,
                row.person.department or "",
                row.module.title,
                "yes" if row.module.required else "no",
                row.result.label,
                row.result.reason,
                completion.version if completion else "",
                _when(completion.completed_at) if completion else "",
                completion.score if completion and completion.score is not None else "",
                _when(completion.expires_at) if completion else "",
            )
        )
