"""The admin shows training records and changes none of them: modules change through the Mayor's
office's pages, completions never change."""

import pytest
from django.urls import reverse

from tests.training.conftest import employee, right_answers

pytestmark = pytest.mark.django_db


def test_the_admin_shows_training_read_only(admin_client, module):
    completion = module.submit_quiz(by=employee("newhire"), answers=right_answers(module))
    for name in ("trainingmodule", "trainingpage", "quizquestion", "completion", "expiryreminder"):
        assert admin_client.get(reverse(f"admin:training_{name}_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:training_trainingmodule_add")).status_code == 403
    url = reverse("admin:training_completion_change", args=[completion.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"score": 0}).status_code == 403
    url = reverse("admin:training_trainingmodule_change", args=[module.pk])
    assert admin_client.get(url).status_code == 200
