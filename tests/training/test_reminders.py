"""702.8: people are reminded by e-mail 30 and 7 days before their training expires, once each."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.training.conftest import employee, right_answers
from training.models import ExpiryReminder
from training.tasks import send_expiry_reminders

pytestmark = pytest.mark.django_db

START = datetime(2026, 2, 2, 16, 30, tzinfo=UTC)
EXPIRES = START + timedelta(days=365)


def run_at(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return send_expiry_reminders()


@pytest.fixture
def trained(module):
    person = employee("newhire", first_name="Jordan")
    with time_machine.travel(START, tick=False):
        completion = module.submit_quiz(by=person, answers=right_answers(module))
    return completion


def test_reminders_go_out_30_and_7_days_before_expiry_once_each(trained, mailoutbox):
    assert run_at(EXPIRES - timedelta(days=31)) == 0
    assert run_at(EXPIRES - timedelta(days=30)) == 1
    assert run_at(EXPIRES - timedelta(days=29)) == 0
    assert run_at(EXPIRES - timedelta(days=8)) == 0
    assert run_at(EXPIRES - timedelta(days=7)) == 1
    assert run_at(EXPIRES - timedelta(days=1)) == 0
    assert run_at(EXPIRES + timedelta(days=1)) == 0
    assert len(mailoutbox) == 2
    first, second = mailoutbox
    assert first.to == ["newhire@riverton.example"]
    assert "expires on" in first.subject and trained.module.title in first.subject
    assert "in 30 days" in first.body and "in 7 days" in second.body
    assert f"/training/modules/{trained.module.slug}/" in first.body
    assert "702.8" in first.body
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7, 30]
    assert all(r.sent_at for r in ExpiryReminder.objects.all())


def test_a_late_run_sends_only_the_nearest_reminder(trained, mailoutbox):
    assert run_at(EXPIRES - timedelta(days=5)) == 1
    assert run_at(EXPIRES - timedelta(days=4)) == 0
    assert len(mailoutbox) == 1
    assert ExpiryReminder.objects.get().days_before == 7


def test_someone_who_renewed_early_is_not_reminded_about_the_old_completion(
    trained, module, mailoutbox
):
    with time_machine.travel(EXPIRES - timedelta(days=40), tick=False):
        module.submit_quiz(by=trained.user, answers=right_answers(module))
    assert run_at(EXPIRES - timedelta(days=30)) == 0
    assert run_at(EXPIRES - timedelta(days=7)) == 0
    assert mailoutbox == []


def test_a_completion_that_no_longer_counts_gets_no_reminder(trained, module, city, mailoutbox):
    module.publish_version(by=city.mayor, note="New law.", requires_retraining=True)
    assert run_at(EXPIRES - timedelta(days=30)) == 0
    assert mailoutbox == []


def test_people_without_an_address_or_an_active_account_get_none(module, mailoutbox):
    with time_machine.travel(START, tick=False):
        module.submit_quiz(by=employee("noemail", email=""), answers=right_answers(module))
        gone = employee("gone")
        module.submit_quiz(by=gone, answers=right_answers(module))
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    assert run_at(EXPIRES - timedelta(days=30)) == 0
    assert mailoutbox == []


def test_a_failed_send_is_recorded_and_not_repeated(trained, mailoutbox, settings):
    settings.EMAIL_BACKEND = "tests.training.test_reminders.FailingBackend"
    assert run_at(EXPIRES - timedelta(days=30)) == 0
    reminder = ExpiryReminder.objects.get()
    assert reminder.sent_at is None and "refused" in reminder.error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run_at(EXPIRES - timedelta(days=29)) == 0


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("refused by the mail server")
