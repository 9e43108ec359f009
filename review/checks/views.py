"""The Mayor's office pages to view and edit the checks' configuration (702.3-3, 702.5).

Every list here is the Mayor's office's; the confidential watch list is kept by supervisors too.
Access is checked on the server in `_section_for()` and `_require()`, the only two places.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import Role
from review.check_models import (
    AllowedPhrase,
    CaseNumberFormat,
    CityContact,
    LexiconEntry,
    RuleSetting,
    WatchListEntry,
)

from . import forms
from .engine import check, load_config
from .rules import RULES

MAYORS_OFFICE = (Role.MAYORS_OFFICE,)
MAYORS_OFFICE_AND_SUPERVISORS = (Role.MAYORS_OFFICE, Role.SUPERVISOR)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    intro: str
    model: type
    form: type
    columns: tuple  # (heading, attribute or method name)
    editors: tuple = MAYORS_OFFICE


SECTIONS = {
    section.slug: section
    for section in [
        Section(
            "lexicon",
            "Lexicon of abusive and explicit language",
            "702.5(a): words and phrases matched as whole words, after folding case, accents, "
            "look-alike letters, leetspeak, zero-width characters and spacing.",
            LexiconEntry,
            forms.LexiconEntryForm,
            (("Term", "term"), ("Kind", "get_kind_display"), ("Severity", "get_severity_display"), ("Active", "active")),
        ),
        Section(
            "allowed-phrases",
            "Allowed phrases",
            'Phrases that are not what a check looks for, such as "sex offender registry" or '
            '"confidential tip line". A finding inside one is dropped.',
            AllowedPhrase,
            forms.AllowedPhraseForm,
            (("Phrase", "phrase"), ("Applies to", "scope"), ("Active", "active")),
        ),
        Section(
            "contacts",
            "The City's published contacts",
            "702.5(b): phone numbers, e-mail addresses and domains, building addresses and "
            "handles the City publishes pass the privacy checks.",
            CityContact,
            forms.CityContactForm,
            (("Whose", "label"), ("Kind", "get_kind_display"), ("Value", "value"), ("Active", "active")),
        ),
        Section(
            "case-formats",
            "Case and report number formats",
            "702.5(c): how the City's case numbers look, as regular expressions, with the words "
            "that must come just before them.",
            CaseNumberFormat,
            forms.CaseNumberFormatForm,
            (("Label", "label"), ("Pattern", "pattern"), ("Context words", "context_words"), ("Active", "active")),
        ),
        Section(
            "watch-list",
            "Confidential watch list",
            "Names and terms of active investigations (702.5(c)), and names of juveniles and "
            "victims (702.5(b)). Confidential: never share this list.",
            WatchListEntry,
            forms.WatchListEntryForm,
            (("Name or term", "term"), ("Kind", "get_kind_display"), ("Expires", "expires"), ("Added by", "added_by"), ("Active", "active")),
            MAYORS_OFFICE_AND_SUPERVISORS,
        ),
    ]
}  # fmt: skip


def _may(user, roles) -> bool:
    return any(user.has_role(role) for role in roles)


def _require(request, roles) -> None:
    if not _may(request.user, roles):
        raise PermissionDenied("Only the Mayor's office may change the content checks (702.3).")


def _section_for(request, slug: str) -> Section:
    section = SECTIONS.get(slug)
    if section is None:
        raise Http404("There is no such list.")
    _require(request, section.editors)
    return section


@login_required
def index(request):
    _require(request, MAYORS_OFFICE_AND_SUPERVISORS)
    sections = [s for s in SECTIONS.values() if _may(request.user, s.editors)]
    counts = {s.slug: s.model.objects.count() for s in sections}
    return render(
        request,
        "review/checks/index.html",
        {
            "sections": [(s, counts[s.slug]) for s in sections],
            "may_configure": _may(request.user, MAYORS_OFFICE),
        },
    )


@login_required
def section_list(request, section):
    section = _section_for(request, section)
    rows = [
        (obj, [_cell(obj, attribute) for _, attribute in section.columns])
        for obj in section.model.objects.all()
    ]
    changes = section.model.history.select_related("history_user").order_by("-history_date")[:10]
    return render(
        request,
        "review/checks/section_list.html",
        {"section": section, "rows": rows, "changes": changes, "empty_uses_files": not rows},
    )


def _cell(obj, attribute):
    value = getattr(obj, attribute)
    value = value() if callable(value) else value
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return "" if value is None else value


@login_required
def section_edit(request, section, pk=None):
    section = _section_for(request, section)
    obj = get_object_or_404(section.model, pk=pk) if pk else None
    form = section.form(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if isinstance(saved, WatchListEntry) and saved.added_by_id is None:
            saved.added_by = request.user
        saved.save()
        messages.success(request, f"Saved. The checks use it from now on: {saved}.")
        return redirect("checks:section", section=section.slug)
    return render(
        request, "review/checks/section_form.html", {"section": section, "form": form, "obj": obj}
    )


@login_required
def section_delete(request, section, pk):
    section = _section_for(request, section)
    obj = get_object_or_404(section.model, pk=pk)
    if request.method == "POST":
        obj.delete()
        messages.success(request, f"Removed: {obj}.")
        return redirect("checks:section", section=section.slug)
    return render(request, "review/checks/section_delete.html", {"section": section, "obj": obj})


@login_required
def rules(request):
    _require(request, MAYORS_OFFICE)
    settings = {s.rule_id: s for s in RuleSetting.objects.all()}
    rows = [
        (rule, forms.RuleSettingForm(instance=settings.get(rule.id), prefix=_prefix(index)))
        for index, rule in enumerate(sorted(RULES.values(), key=lambda r: r.id))
    ]
    return render(request, "review/checks/rules.html", {"rows": rows})


def _prefix(index: int) -> str:
    return f"rule{index}"


@login_required
@require_POST
def rule_setting(request):
    _require(request, MAYORS_OFFICE)
    rule_id = request.POST.get("rule_id", "")
    if rule_id not in RULES:
        raise Http404("There is no such rule.")
    index = sorted(RULES).index(rule_id)
    setting = RuleSetting.objects.filter(rule_id=rule_id).first() or RuleSetting(rule_id=rule_id)
    form = forms.RuleSettingForm(request.POST, instance=setting, prefix=_prefix(index))
    if form.is_valid():
        form.save()
        state = "on" if form.instance.enabled else "off"
        messages.success(request, f"{rule_id} is {state}; the change applies to every check now.")
    else:
        messages.error(request, f"{rule_id} was not changed: choose a severity from the list.")
    return redirect("checks:rules")


@login_required
def try_check(request):
    _require(request, MAYORS_OFFICE_AND_SUPERVISORS)
    form = forms.TryForm(request.POST or None)
    result, highlighted, excerpts = None, {}, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = check(
            title=data["title"], body=data["body"], category=data["category"], config=load_config()
        )
        highlighted = {
            name: _highlight(data[name], [f for f in result.findings if f.field == name])
            for name in ("title", "body")
        }
        excerpts = [
            (f, data[f.field][f.start : f.end] if f.start is not None else "")
            for f in result.findings
        ]
    return render(
        request,
        "review/checks/try.html",
        {"form": form, "result": result, "highlighted": highlighted, "excerpts": excerpts},
    )


def _highlight(text: str, findings) -> list[tuple[str, bool]]:
    """The text cut into (piece, marked) runs, marking the spans of the findings."""
    spans = sorted((f.start, f.end) for f in findings if f.start is not None)
    pieces, position = [], 0
    for start, end in spans:
        if start < position:
            continue
        pieces += [(text[position:start], False), (text[start:end], True)]
        position = end
    pieces.append((text[position:], False))
    return [(piece, marked) for piece, marked in pieces if piece]
