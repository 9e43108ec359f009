"""702.3: the Mayor's office configures who approves what, through pages."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from review.models import ApprovalChain

pytestmark = pytest.mark.django_db


def test_the_mayors_office_builds_a_two_step_chain(client, city):
    city.sign_in_client(client, "mayor")
    supervisors = Group.objects.get(name="Supervisor")
    response = client.post(
        reverse("review:chain_new"),
        {
            "name": "Media releases",
            "category": "media_release",
            "active": "on",
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "0",
            "steps-0-order": "1",
            "steps-0-group": supervisors.pk,
            "steps-0-rule": "any",
            "steps-1-order": "2",
            "steps-1-person": city.mayor.pk,
            "steps-1-rule": "any",
        },
    )
    assert response.status_code == 302
    chain = ApprovalChain.objects.get(name="Media releases")
    assert [s.approvers_label for s in chain.steps.all()] == [
        "any one of the Supervisor group",
        str(city.mayor),
    ]
    assert chain.history.count() == 1


def test_a_step_must_name_a_group_or_a_person(client, city):
    city.sign_in_client(client, "mayor")
    response = client.post(
        reverse("review:chain_new"),
        {
            "name": "Broken",
            "active": "on",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-0-order": "1",
            "steps-0-rule": "any",
        },
    )
    assert response.status_code == 400
    assert "Name a group or a person for this step." in response.content.decode()
    assert not ApprovalChain.objects.exists()


def test_only_the_mayors_office_configures_chains(client, city):
    city.sign_in_client(client, "supervisor")
    assert client.get(reverse("review:chains")).status_code == 403
