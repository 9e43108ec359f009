"""702.8: a module's quiz. A pass records who, which module and version, when, the score and the
expiry; a failure records the attempt, shows which questions were missed, and counts for nothing."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.training.conftest import (
    answers_with_wrong,
    employee,
    quiz_data,
    right_answers,
    signed_in,
)
from training.demo import complete_required_modules
from training.models import Completion, CompletionIsPermanent
from training.services import has_current_training, missing_training, training_expires_at

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)


def test_a_passed_quiz_records_score_version_and_expiry(module):
    person = employee("newhire")
    with time_machine.travel(NOON, tick=False):
        completion = module.submit_quiz(by=person, answers=answers_with_wrong(module, 2))
    assert completion.passed
    assert (completion.user, completion.module, completion.version) == (person, module, 1)
    assert (completion.score, completion.pass_mark, completion.method) == (75, 75, "quiz")
    assert completion.completed_at == NOON
    assert completion.expires_at == NOON + timedelta(days=365)
    assert completion.wrong_questions == [module.questions.get(position=2).pk]


def test_current_training_needs_every_required_module(modules):
    person = employee("newhire")
    assert not has_current_training(person)
    assert missing_training(person) == modules
    for module in modules[:-1]:
        module.submit_quiz(by=person, answers=right_answers(module))
    assert missing_training(person) == [modules[-1]]
    assert not has_current_training(person)
    assert training_expires_at(person) is None
    modules[-1].submit_quiz(by=person, answers=right_answers(modules[-1]))
    assert has_current_training(person)
    assert missing_training(person) == []


def test_training_expires_when_the_first_required_module_does(modules):
    person = employee("newhire")
    with time_machine.travel(NOON, tick=False):
        complete_required_modules(person)
    with time_machine.travel(NOON + timedelta(days=100), tick=False):
        modules[2].submit_quiz(by=person, answers=right_answers(modules[2]))
        assert training_expires_at(person) == NOON + timedelta(days=365)


def test_an_optional_module_is_not_needed(modules):
    person = employee("newhire")
    last = modules[-1]
    for module in modules[:-1]:
        module.submit_quiz(by=person, answers=right_answers(module))
    last.required = False
    last.save(update_fields=["required"])
    assert has_current_training(person)


def test_a_failed_quiz_records_the_attempt_and_no_current_training(module):
    person = employee("newhire")
    completion = module.submit_quiz(by=person, answers=answers_with_wrong(module, 1, 3))
    assert not completion.passed
    assert completion.score == 50
    assert completion.expires_at is None
    assert module in missing_training(person)
    assert not Completion.objects.counting().filter(user=person).exists()


def test_an_answer_from_another_question_counts_as_wrong(module):
    person = employee("newhire")
    answers = right_answers(module)
    first, second = list(answers)[:2]
    answers[first] = answers[second]
    assert module.submit_quiz(by=person, answers=answers).score == 75


def test_the_quiz_page_passes_and_says_until_when(client, module):
    person = employee("newhire")
    signed_in(client, person)
    url = reverse("training:complete", args=[module.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, quiz_data(module, right_answers(module)), follow=True)
    assert "You passed with 100%" in response.content.decode()
    assert Completion.objects.get(user=person).passed


def test_after_a_failure_the_page_shows_which_questions_were_missed_not_the_answers(client, module):
    person = employee("newhire")
    signed_in(client, person)
    url = reverse("training:complete", args=[module.slug])
    response = client.post(url, quiz_data(module, answers_with_wrong(module, 2, 4)))
    attempt = Completion.objects.get(user=person)
    assert response.status_code == 302
    assert response.url == f"{url}?attempt={attempt.pk}"
    page = client.get(response.url).content.decode()
    assert "Not passed: you scored 50%" in page
    assert '<a href="#question-2">Question 2</a>' in page
    assert '<a href="#question-4">Question 4</a>' in page
    assert '<a href="#question-1">' not in page
    assert "right answer" not in page.lower()
    assert " checked" not in page  # the retry starts blank: nothing shows what was chosen
    # ...and they may try again.
    response = client.post(url, quiz_data(module, right_answers(module)), follow=True)
    assert "You passed" in response.content.decode()
    assert [c.passed for c in Completion.objects.filter(user=person)] == [True, False]


def test_someone_elses_attempt_is_not_shown(client, module):
    other = employee("other")
    attempt = module.submit_quiz(by=other, answers=answers_with_wrong(module, 1))
    signed_in(client, employee("newhire"))
    url = reverse("training:complete", args=[module.slug])
    assert "Not passed" not in client.get(f"{url}?attempt={attempt.pk}").content.decode()


def test_an_unanswered_question_is_asked_for_and_nothing_is_recorded(client, module):
    person = employee("newhire")
    signed_in(client, person)
    data = quiz_data(module, right_answers(module))
    data.pop(next(iter(data)))
    response = client.post(reverse("training:complete", args=[module.slug]), data)
    assert response.status_code == 400
    assert "Choose an answer to question 1." in response.content.decode()
    assert not Completion.objects.filter(user=person).exists()


def test_a_module_completed_by_attestation_takes_no_quiz(module, city):
    module.configure(
        by=city.mayor,
        completion_mode="attestation",
        pass_mark=75,
        validity_days=365,
        required=True,
        attestation_text="I will follow it.",
    )
    with pytest.raises(ValidationError, match="attestation"):
        module.submit_quiz(by=employee("newhire"), answers=right_answers(module))


def test_an_inactive_account_cannot_take_training(module):
    person = employee("gone", is_active=False)
    with pytest.raises(PermissionDenied):
        module.submit_quiz(by=person, answers=right_answers(module))


def test_completion_records_are_never_changed_or_deleted(module):
    completion = module.submit_quiz(by=employee("newhire"), answers=right_answers(module))
    completion.score = 0
    with pytest.raises(CompletionIsPermanent):
        completion.save()
    with pytest.raises(CompletionIsPermanent):
        completion.delete()
    with pytest.raises(CompletionIsPermanent):
        Completion.objects.filter(pk=completion.pk).update(score=0)
    with pytest.raises(CompletionIsPermanent):
        Completion.objects.all().delete()
