"""702.8: the Mayor's office publishes new versions of a module; with "requires re-training",
completions of earlier versions no longer count."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Authorization
from tests.training.conftest import employee, quiz_data, right_answers, signed_in
from training.demo import complete_required_modules
from training.models import ModuleVersion
from training.services import Status, has_current_training, missing_training, statuses_for

pytestmark = pytest.mark.django_db


def publish(module, by, *, retrain, note="Updated for the new state law."):
    return module.publish_version(by=by, note=note, requires_retraining=retrain)


def test_a_new_version_without_retraining_keeps_completions_counting(module, city):
    person = employee("newhire")
    module.submit_quiz(by=person, answers=right_answers(module))
    version = publish(module, city.mayor, retrain=False, note="Fixed a typo.")
    assert (version.number, version.published_by, version.requires_retraining) == (
        2,
        city.mayor,
        False,
    )
    module.refresh_from_db()
    assert (module.version, module.counts_from_version) == (2, 1)
    assert module not in missing_training(person)


def test_a_new_version_requiring_retraining_makes_old_completions_not_count(modules, city):
    person = employee("newhire")
    complete_required_modules(person)
    module = modules[0]
    publish(module, city.mayor, retrain=True)
    assert not has_current_training(person)
    assert missing_training(person) == [module]
    result = statuses_for(person, [module])[0]
    assert result.status == Status.LAPSED
    assert result.reason == "Version 2 requires re-training."
    module.refresh_from_db()
    completion = module.submit_quiz(by=person, answers=right_answers(module))
    assert completion.version == 2
    assert has_current_training(person)


def test_702_8_retraining_suspends_authorizations_until_the_employee_retrains(modules, city):
    complete_required_modules(city.poster)
    Authorization.objects.refresh_for(city.poster)
    authorization = city.poster.authorizations.get()
    assert authorization.state == "active"
    module = modules[3]
    publish(module, city.mayor, retrain=True)
    authorization.refresh_from_db()
    assert authorization.state == "suspended"
    module.refresh_from_db()
    module.submit_quiz(by=city.poster, answers=right_answers(module))
    authorization.refresh_from_db()
    assert authorization.state == "active"


def test_only_the_mayors_office_publishes_a_version(module, city):
    for person in (city.supervisor, city.poster, city.staff, city.clerk, city.outsider):
        with pytest.raises(PermissionDenied, match="702.8"):
            publish(module, person, retrain=True)
    module.refresh_from_db()
    assert module.version == 1


def test_a_version_needs_a_note_and_well_formed_questions(module, city):
    with pytest.raises(ValidationError, match="what changed"):
        publish(module, city.mayor, retrain=False, note=" ")
    with pytest.raises(ValidationError, match="exactly one answer"):
        module.publish_version(
            by=city.mayor,
            note="New quiz.",
            requires_retraining=False,
            questions=[("Which?", [("A", True), ("B", True)])],
        )
    assert ModuleVersion.objects.filter(module=module).count() == 1


def test_the_publish_page_replaces_the_content_and_keeps_the_old_in_history(client, module, city):
    signed_in(client, city.mayor)
    url = reverse("training:publish", args=[module.slug])
    page = client.get(url).content.decode()
    assert "Publish version 2" in page
    old_page = module.pages.get(position=1)
    data = {
        "pages-TOTAL_FORMS": "4",
        "pages-INITIAL_FORMS": "3",
        "pages-0-title": "City accounts speak for the City",
        "pages-0-body": "New text.\n\n- one\n- two",
        "pages-1-title": "Removed",
        "pages-1-body": "Removed",
        "pages-1-DELETE": "on",
        "pages-2-title": "",
        "pages-2-body": "",
        "pages-2-DELETE": "on",
        "pages-3-title": "",
        "pages-3-body": "",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-prompt": "Who may post for the City?",
        "questions-0-choices": "Anyone\n*Only authorized employees (702.3)\nThe platform",
        "note": "Shorter module.",
        "requires_retraining": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    module.refresh_from_db()
    assert (module.version, module.counts_from_version) == (2, 2)
    assert [p.body for p in module.pages.all()] == ["New text.\n\n- one\n- two"]
    question = module.questions.get()
    assert [(c.text, c.is_correct) for c in question.choices.all()] == [
        ("Anyone", False),
        ("Only authorized employees (702.3)", True),
        ("The platform", False),
    ]
    assert old_page.history.filter(history_type="-").exists()
    assert module.history.first().history_user == city.mayor
    # The new quiz is the one employees take.
    person = employee("newhire")
    signed_in(client, person)
    choice = question.choices.get(is_correct=True)
    client.post(
        reverse("training:complete", args=[module.slug]),
        quiz_data(module, {question.pk: choice.pk}),
    )
    assert module.completions.get(user=person).score == 100


def test_a_malformed_question_on_the_publish_page_is_explained(client, module, city):
    signed_in(client, city.mayor)
    data = {
        "pages-TOTAL_FORMS": "0",
        "pages-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-prompt": "Which?",
        "questions-0-choices": "A\nB",
        "note": "x",
    }
    response = client.post(reverse("training:publish", args=[module.slug]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Start exactly one answer, the right one, with *." in page
    module.refresh_from_db()
    assert module.version == 1
