"""Training fixtures: the default modules, and answers right or wrong."""

import pytest


@pytest.fixture
def modules(city):
    """Loaded after the demo city: its demo authorizations are granted before any training
    is required."""
    from training.content import load_default_modules

    return load_default_modules()


@pytest.fixture
def module(modules):
    """The first module, "Legal issues", completed by quiz (4 questions, pass mark 75%)."""
    return modules[0]


def right_answers(module) -> dict[int, int]:
    return {
        question.pk: next(c.pk for c in question.choices.all() if c.is_correct)
        for question in module.questions_with_choices()
    }


def answers_with_wrong(module, *numbers) -> dict[int, int]:
    """Right answers, except a wrong one for the questions numbered (from 1) in `numbers`."""
    answers = {}
    for number, question in enumerate(module.questions_with_choices(), start=1):
        choices = list(question.choices.all())
        pick = [c for c in choices if c.is_correct != (number in numbers)][0]
        answers[question.pk] = pick.pk
    return answers


def quiz_data(module, answers) -> dict[str, str]:
    return {f"question_{question}": str(choice) for question, choice in answers.items()}


def employee(username, **fields):
    """A new employee with no training and no authorization, whatever the demo city holds."""
    from accounts.models import User

    fields.setdefault("email", f"{username}@riverton.example")
    return User.objects.create_user(username, **fields)


def signed_in(client, user):
    """Sign the test client in, second factor included for those who must use one."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
