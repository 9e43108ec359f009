"""Pages for the Mayor's guidelines (702.3).

The Mayor's office lists, edits and audits the guidelines; every signed-in employee reads what
conforms and tries the pre-approved templates (which creates nothing).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from posting.models import Category, Channel

from . import guidelines as evaluation
from .guideline_forms import GuidelineEditor, TemplateEditor, TryTemplateForm
from .guideline_models import (
    Guideline,
    GuidelineTemplate,
    RequiredElement,
    TemplateField,
    require_mayors_office,
)


def _category_or_404(category: str) -> str:
    if category not in Category.values:
        raise Http404("No such content category.")
    return category


def get_guideline_to_edit(request, category: str) -> Guideline:
    """The one place edit access is checked: the Mayor's office only (702.3)."""
    require_mayors_office(request.user)
    category = _category_or_404(category)
    guideline = Guideline.objects.filter(category=category).first()
    return guideline or Guideline(category=category)


def get_template_to_edit(request, pk: int) -> GuidelineTemplate:
    require_mayors_office(request.user)
    return get_object_or_404(GuidelineTemplate.objects.select_related("guideline"), pk=pk)


def _posted(request):
    return request.POST if request.method == "POST" else None


# --- Read by every employee ---------------------------------------------------------------


@login_required
@require_GET
def what_conforms(request):
    """702.3, for staff: what a post of each category needs to go out without a supervisor."""
    guidelines = {
        g.category: g
        for g in Guideline.objects.prefetch_related(
            "channels",
            Prefetch("required_elements", RequiredElement.objects.order_by("position", "pk")),
        )
    }
    offered = evaluation.offered_templates()
    sections = [
        {
            "category": value,
            "label": label,
            "guideline": guidelines.get(value),
            "templates": offered[value],
        }
        for value, label in Category.choices
    ]
    return render(request, "review/guidelines/what_conforms.html", {"sections": sections})


@login_required
@require_http_methods(["GET", "POST"])
def try_template(request):
    """Pick a template, fill its fields, see the text. Nothing is saved or posted."""
    offered = evaluation.offered_templates()
    choices = [(label, offered[value]) for value, label in Category.choices if offered[value]]
    spec = evaluation.template_spec(request.GET.get("template") or request.POST.get("template"))
    form = result = None
    status = 200
    if spec is not None:
        form = TryTemplateForm(_posted(request), spec=spec)
        if request.method == "POST" and form.is_valid():
            try:
                result = evaluation.fill_template(spec, form.cleaned_data)
            except ValidationError as exc:
                form.apply(exc.message_dict)
        if request.method == "POST" and result is None:
            status = 400
    elif request.GET.get("template"):
        messages.error(request, "That template is not offered now. Choose another.")
    return render(
        request,
        "review/guidelines/try.html",
        {
            "choices": choices,
            "spec": spec,
            "form": form,
            "result": result,
            "category_label": Category(spec.category).label if spec else "",
        },
        status=status,
    )


@login_required
@require_POST
def template_fill(request, pk):
    """JSON for the draft form: the template filled with the posted fields, or what is wrong.

    200 {"template", "name", "category", "text"}; 400 {"template", "errors": {field: [..]}}
    ("__all__" for the whole text); 404 when the template is not offered.
    """
    spec = evaluation.template_spec(pk)
    if spec is None:
        return JsonResponse(
            {"template": pk, "errors": {NON_FIELD_ERRORS: ["This template is not offered now."]}},
            status=404,
        )
    values = {f.name: request.POST.get(f.name, "") for f in spec.fields}
    try:
        text = evaluation.fill_template(spec, values)
    except ValidationError as exc:
        return JsonResponse({"template": pk, "errors": exc.message_dict}, status=400)
    return JsonResponse(
        {"template": pk, "name": spec.name, "category": spec.category, "text": text}
    )


# --- The Mayor's office -------------------------------------------------------------------


@login_required
@require_GET
def manage(request):
    require_mayors_office(request.user, "manage the Mayor's guidelines")
    guidelines = {
        g.category: g
        for g in Guideline.objects.select_related("updated_by")
        .prefetch_related("channels")
        .annotate(
            element_count=Count("required_elements", distinct=True),
            template_count=Count("templates", filter=Q(templates__active=True), distinct=True),
        )
    }
    offered = evaluation.offered_templates()
    rows = [
        {
            "category": value,
            "label": label,
            "guideline": guidelines.get(value),
            "offered": len(offered[value]),
        }
        for value, label in Category.choices
    ]
    return render(request, "review/guidelines/manage.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, category):
    guideline = get_guideline_to_edit(request, category)
    editor = GuidelineEditor(guideline, _posted(request))
    if request.method == "POST" and editor.is_valid():
        editor.save(by=request.user)
        messages.success(
            request,
            f"Saved the guideline for {guideline.get_category_display()}. It applies to drafts "
            "from now on.",
        )
        return redirect("guidelines:edit", category=guideline.category)
    templates = []
    if guideline.pk:
        for template in guideline.templates.prefetch_related("fields"):
            templates.append((template, evaluation.check_template(template)))
    return render(
        request,
        "review/guidelines/edit.html",
        {
            "guideline": guideline,
            "label": guideline.get_category_display(),
            "editor": editor,
            "form": editor.form,
            "elements": editor.elements,
            "templates": templates,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_new(request, category):
    guideline = get_guideline_to_edit(request, category)
    if guideline.pk is None:
        messages.error(request, "Save the guideline first, then add templates to it.")
        return redirect("guidelines:edit", category=guideline.category)
    return _template_form(request, GuidelineTemplate(guideline=guideline))


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk):
    return _template_form(request, get_template_to_edit(request, pk))


def _template_form(request, template):
    editor = TemplateEditor(template, _posted(request))
    if request.method == "POST" and editor.is_valid():
        template = editor.save(by=request.user)
        problems = evaluation.check_template(template)
        if problems:
            messages.warning(
                request,
                f"Saved “{template.name}”, but posters are not offered it until it conforms: "
                + " ".join(problems),
            )
        else:
            messages.success(request, f"Saved “{template.name}”. Posters are offered it now.")
        return redirect("guidelines:template_edit", pk=template.pk)
    problems = evaluation.check_template(template) if template.pk else []
    guideline = template.guideline
    return render(
        request,
        "review/guidelines/template_form.html",
        {
            "template": template,
            "guideline": guideline,
            "label": guideline.get_category_display(),
            "editor": editor,
            "form": editor.form,
            "fields": editor.fields,
            "problems": problems,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def history(request, category):
    require_mayors_office(request.user, "see the history of the Mayor's guidelines")
    guideline = get_object_or_404(Guideline, category=_category_or_404(category))
    return render(
        request,
        "review/guidelines/history.html",
        {
            "guideline": guideline,
            "label": guideline.get_category_display(),
            "entries": guideline_history(guideline),
        },
    )


# --- History: who changed what, when ------------------------------------------------------

WHAT = {"+": "added", "~": "changed", "-": "removed"}
HIDDEN_FIELDS = ["id", "updated_at", "updated_by", "position", "guideline", "template", "channels"]


def guideline_history(guideline: Guideline) -> list[dict]:
    """Every change to the guideline, its required elements, templates and their fields,
    newest first."""
    # Templates and fields removed since are in the history too, under their last name.
    template_names = dict(
        GuidelineTemplate.history.filter(guideline_id=guideline.pk)
        .order_by("history_date", "history_id")
        .values_list("id", "name")
    )
    template_ids = set(template_names)
    records = list(guideline.history.select_related("history_user"))
    entries = _entries(records, "the guideline", channel_names=_channel_sets(records))
    entries += _entries(
        RequiredElement.history.filter(guideline_id=guideline.pk).select_related("history_user"),
        "required element",
    )
    entries += _entries(
        GuidelineTemplate.history.filter(id__in=template_ids).select_related("history_user"),
        "template",
    )
    entries += _entries(
        TemplateField.history.filter(template_id__in=template_ids).select_related("history_user"),
        "fill-in field",
        template_names=template_names,
    )
    entries.sort(key=lambda entry: (entry["at"], entry["order"]), reverse=True)
    return entries


def _channel_sets(records) -> dict:
    """history_id -> the names of the guideline's channels at that version, in one query."""
    if not records:
        return {}
    names = dict(Channel.objects.values_list("pk", "name"))
    rows = records[0].channels.model.objects.filter(history__in=records)
    sets: dict[int, set[str]] = {record.history_id: set() for record in records}
    for history_id, channel_id in rows.values_list("history_id", "channel_id"):
        sets[history_id].add(names.get(channel_id, f"channel {channel_id}"))
    return sets


def _entries(records, kind: str, *, channel_names=None, template_names=None) -> list[dict]:
    by_object: dict[int, list] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for versions in by_object.values():
        previous = None
        for record in versions:
            changes = _changes(record, previous, channel_names)
            last = entries[-1] if entries and previous is not None else None
            previous = record
            if record.history_type == "~" and not changes:
                continue  # saved as it was (e.g. only its required elements changed)
            who = record.history_user or "CitySocial (defaults)"
            if (
                last
                and record.history_type == "~"
                and last["who"] == who
                and last["what"].endswith("changed")
                and (record.history_date - last["at"]).total_seconds() < 5
            ):
                # One save of the edit page: the fields, then the channels.
                last["changes"] += changes
                continue
            entries.append(
                {
                    "at": record.history_date,
                    "order": record.history_id,
                    "who": who,
                    "what": _describe(record, kind, template_names or {}),
                    "changes": changes,
                }
            )
    return entries


def _describe(record, kind: str, template_names: dict) -> str:
    verb = WHAT[record.history_type]
    if kind == "the guideline":
        return {"+": "Guideline created", "~": "Guideline changed", "-": "Guideline deleted"}[
            record.history_type
        ]
    name = getattr(record, "label", None) or getattr(record, "name", "")
    if kind == "fill-in field":
        template = template_names.get(record.template_id)
        where = f" of template “{template}”" if template else ""
        return f"Fill-in field “{name}”{where} {verb}"
    return f"{kind.capitalize()} “{name}” {verb}"


def _changes(record, previous, channel_names) -> list[str]:
    if previous is None or record.history_type == "-":
        return []
    model = record.instance_type
    changes = []
    for change in record.diff_against(previous, excluded_fields=HIDDEN_FIELDS).changes:
        label = model._meta.get_field(change.field).verbose_name
        changes.append(f"{str(label).capitalize()}: {_shown(change.old)} → {_shown(change.new)}")
    if channel_names is not None:
        before, after = channel_names[previous.history_id], channel_names[record.history_id]
        if before != after:
            changes.append(f"Channels: {_channels(before)} → {_channels(after)}")
    return changes


def _shown(value) -> str:
    if value in (None, ""):
        return "(none)"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    text = " / ".join(str(value).splitlines())
    return text if len(text) <= 160 else text[:157] + "..."


def _channels(names) -> str:
    return ", ".join(sorted(names)) if names else "every channel"
