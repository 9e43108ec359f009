"""702.8: training is refreshed yearly by default; the Mayor's office sets each module's period."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.training.conftest import employee, right_answers
from training.services import Status, has_current_training, statuses_for, training_expires_at

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 15, 17, 0, tzinfo=UTC)


def test_a_completion_lapses_after_a_year_by_default(modules):
    person = employee("newhire")
    with time_machine.travel(START, tick=False):
        for module in modules:
            module.submit_quiz(by=person, answers=right_answers(module))
    with time_machine.travel(START + timedelta(days=365) - timedelta(seconds=1), tick=False):
        assert has_current_training(person)
        assert training_expires_at(person) == START + timedelta(days=365)
    with time_machine.travel(START + timedelta(days=365), tick=False):
        assert not has_current_training(person)
        assert training_expires_at(person) is None
        assert {s.status for s in statuses_for(person)} == {Status.LAPSED}


def test_the_at_argument_asks_about_another_moment(modules):
    person = employee("newhire")
    with time_machine.travel(START, tick=False):
        for module in modules:
            module.submit_quiz(by=person, answers=right_answers(module))
        assert has_current_training(person, at=START + timedelta(days=364))
        assert not has_current_training(person, at=START + timedelta(days=366))
        assert not has_current_training(person, at=START - timedelta(days=1))


def test_a_module_configured_for_90_days_lapses_after_90_days(modules, city):
    person = employee("newhire")
    short = modules[1]
    short.configure(
        by=city.mayor,
        completion_mode="quiz",
        pass_mark=75,
        validity_days=90,
        required=True,
        attestation_text=short.attestation_text,
    )
    with time_machine.travel(START, tick=False):
        for module in modules:
            module.submit_quiz(by=person, answers=right_answers(module))
        assert training_expires_at(person) == START + timedelta(days=90)
    with time_machine.travel(START + timedelta(days=90), tick=False):
        assert not has_current_training(person)
        lapsed = [s.module for s in statuses_for(person) if s.status == Status.LAPSED]
        assert lapsed == [short]


def test_expiring_soon_within_30_days(module):
    person = employee("newhire")
    with time_machine.travel(START, tick=False):
        module.submit_quiz(by=person, answers=right_answers(module))
    with time_machine.travel(START + timedelta(days=334), tick=False):
        assert statuses_for(person, [module])[0].status == Status.CURRENT
    with time_machine.travel(START + timedelta(days=336), tick=False):
        assert statuses_for(person, [module])[0].status == Status.EXPIRING


def test_taking_a_module_again_renews_it(module):
    person = employee("newhire")
    with time_machine.travel(START, tick=False):
        module.submit_quiz(by=person, answers=right_answers(module))
    renewed = START + timedelta(days=350)
    with time_machine.travel(renewed, tick=False):
        module.submit_quiz(by=person, answers=right_answers(module))
    with time_machine.travel(START + timedelta(days=400), tick=False):
        result = statuses_for(person, [module])[0]
        assert result.status == Status.CURRENT
        assert result.completion.expires_at == renewed + timedelta(days=365)


def test_702_8_beat_suspends_authorizations_when_training_lapses_with_time(modules, city):
    from accounts.models import Authorization
    from training.demo import complete_required_modules
    from training.tasks import refresh_authorizations_after_lapse

    complete_required_modules(city.poster)
    Authorization.objects.refresh_for(city.poster)
    authorization = city.poster.authorizations.get()
    assert authorization.state == "active"
    lapse = training_expires_at(city.poster)
    with time_machine.travel(lapse - timedelta(hours=1), tick=False):
        assert refresh_authorizations_after_lapse() == 0
    with time_machine.travel(lapse + timedelta(hours=1), tick=False):
        # the poster and the supervisor, whom the demo city trained at the same moment
        assert refresh_authorizations_after_lapse() == 2
        authorization.refresh_from_db()
        assert authorization.state == "suspended"
        assert "702.8" in authorization.suspension_reason
