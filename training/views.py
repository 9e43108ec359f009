from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from . import report as training_report
from .access import get_module, get_module_to_configure, require_report_reader
from .forms import (
    AttestationForm,
    ModuleSettingsForm,
    PageFormSet,
    PublishForm,
    QuestionForm,
    QuestionFormSet,
    QuizForm,
    ReportFilterForm,
    kept,
)
from .models import Completion, TrainingModule
from .services import Status, statuses_for, training_expires_at


def _posted(request):
    """The form data of a POST, even an empty one (an empty POST still gets its errors)."""
    return request.POST if request.method == "POST" else None


# --- Taking training (every signed-in employee) -------------------------------


@login_required
@require_GET
def my_training(request):
    statuses = statuses_for(request.user)
    return render(
        request,
        "training/index.html",
        {
            "statuses": statuses,
            "missing": [s for s in statuses if s.module.required and not s.is_current],
            "expires_at": training_expires_at(request.user),
        },
    )


@login_required
@require_GET
def module_detail(request, slug):
    module = get_module(slug)
    return render(
        request,
        "training/module.html",
        {
            "module": module,
            "status": statuses_for(request.user, [module])[0],
            "pages": module.pages.all(),
            "version": module.versions.first(),
            "attempts": module.completions.filter(user=request.user)[:5],
        },
    )


@login_required
@require_GET
def module_page(request, slug, number):
    module = get_module(slug)
    pages = list(module.pages.all())
    if not 1 <= number <= len(pages):
        raise Http404("No such page in this module.")
    return render(
        request,
        "training/page.html",
        {
            "module": module,
            "page": pages[number - 1],
            "number": number,
            "count": len(pages),
            "previous": pages[number - 2] if number > 1 else None,
            "next": pages[number] if number < len(pages) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def complete(request, slug):
    module = get_module(slug)
    if module.is_quiz:
        return _quiz(request, module)
    return _attestation(request, module)


def _quiz(request, module):
    questions = list(module.questions_with_choices())
    form = QuizForm(_posted(request), questions=questions)
    if request.method == "POST" and form.is_valid():
        completion = _record(request, module.submit_quiz, answers=form.answers())
        if completion is None:
            return redirect(module)
        if completion.passed:
            messages.success(request, _passed_message(module, completion))
            return redirect(module)
        # Show the result on a GET, so that reloading the page never submits again.
        url = reverse("training:complete", args=[module.slug])
        return redirect(f"{url}?attempt={completion.pk}")
    attempt = _failed_attempt(request, module)
    missed = _missed(attempt, questions)
    return render(
        request,
        "training/quiz.html",
        {
            "module": module,
            "form": form,
            "attempt": attempt,
            "missed": missed,
            "missed_ids": {question.pk for _, question in missed},
        },
        status=400 if request.method == "POST" else 200,
    )


def _failed_attempt(request, module):
    pk = request.GET.get("attempt", "")
    if not pk.isdigit():
        return None
    return Completion.objects.filter(pk=pk, user=request.user, module=module, passed=False).first()


def _missed(attempt, questions) -> list[tuple[int, object]]:
    """(number, question) for each question missed in the attempt shown: which, never why."""
    if attempt is None:
        return []
    wrong = set(attempt.wrong_questions)
    return [(n, q) for n, q in enumerate(questions, start=1) if q.pk in wrong]


def _attestation(request, module):
    form = AttestationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        completion = _record(request, module.attest, confirmed=True)
        if completion is not None:
            messages.success(request, _passed_message(module, completion))
        return redirect(module)
    return render(
        request,
        "training/attest.html",
        {"module": module, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _record(request, method, **kwargs):
    try:
        return method(by=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None


def _passed_message(module, completion) -> str:
    until = date_format(timezone.localtime(completion.expires_at), "DATE_FORMAT")
    score = f" with {completion.score}%" if completion.score is not None else ""
    done = "You passed" if completion.score is not None else "Completed"
    return f"{done}{score}. Your training in “{module.title}” is current until {until}."


# --- The Mayor's office: report and configuration ----------------------------


def _report(request):
    require_report_reader(request)
    form = ReportFilterForm(request.GET or None, modules=TrainingModule.objects.in_order())
    return form, training_report.build_report(**form.report_arguments())


@login_required
@require_GET
def report(request):
    form, result = _report(request)
    return render(
        request,
        "training/report.html",
        {
            "form": form,
            "report": result,
            "page": Paginator(result.rows, 100).get_page(request.GET.get("page")),
            "statuses": [(s, Status.LABELS[s]) for s in Status.ORDER],
        },
    )


@login_required
@require_GET
def report_csv(request):
    _, result = _report(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="training-report-{day}.csv"'
    training_report.write_csv(result, response)
    return response


@login_required
@require_GET
def manage(request):
    require_report_reader(request)
    modules = TrainingModule.objects.in_order().annotate(
        page_count=Count("pages", distinct=True), question_count=Count("questions", distinct=True)
    )
    return render(request, "training/manage.html", {"modules": modules})


@login_required
@require_http_methods(["GET", "POST"])
def configure(request, slug):
    module = get_module_to_configure(request, slug)
    form = ModuleSettingsForm.for_module(module, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            module.configure(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Settings saved for “{module.title}”.")
            return redirect("training:manage")
    return render(
        request,
        "training/configure.html",
        {"module": module, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug):
    module = get_module_to_configure(request, slug)
    data = _posted(request)
    pages_initial = [{"title": p.title, "body": p.body} for p in module.pages.all()]
    questions_initial = [QuestionForm.initial_for(q) for q in module.questions_with_choices()]
    form = PublishForm(data)
    pages = PageFormSet(data, prefix="pages", initial=pages_initial)
    questions = QuestionFormSet(data, prefix="questions", initial=questions_initial)
    if data is not None and form.is_valid() and pages.is_valid() and questions.is_valid():
        try:
            version = module.publish_version(
                by=request.user,
                note=form.cleaned_data["note"],
                requires_retraining=form.cleaned_data["requires_retraining"],
                pages=[(page["title"], page["body"]) for page in kept(pages)],
                questions=[(q["prompt"], q["choices"]) for q in kept(questions)],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            retrain = " Everyone must take it again." if version.requires_retraining else ""
            messages.success(
                request, f"Version {version.number} of “{module.title}” is published.{retrain}"
            )
            return redirect("training:manage")
    return render(
        request,
        "training/publish.html",
        {"module": module, "form": form, "pages": pages, "questions": questions},
        status=400 if data is not None else 200,
    )
