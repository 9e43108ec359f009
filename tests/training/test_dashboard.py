"""702.8 on the dashboard: each person sees their training; the Mayor's office sees how many
authorized employees are current."""

import pytest
from django.urls import reverse

from tests.training.conftest import signed_in
from training.demo import complete_required_modules

pytestmark = pytest.mark.django_db


def test_staff_see_what_training_is_left(client, city, modules):
    signed_in(client, city.staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Training (702.8)" in page
    assert "not current" in page
    assert modules[0].title.replace("'", "&#x27;") in page


def test_a_trained_employee_sees_until_when(client, city, modules):
    complete_required_modules(city.staff)
    signed_in(client, city.staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Your social media training is current until" in page


def test_the_mayors_office_sees_how_many_authorized_employees_are_current(client, city, modules):
    complete_required_modules(city.poster)
    signed_in(client, city.mayor)
    page = client.get(reverse("dashboard")).content.decode()
    assert "authorized to post" in page
    assert reverse("training:report") in page
