"""702.8: where the Mayor's office configures it, a module is completed by attestation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.training.conftest import employee, signed_in
from training.models import Completion
from training.services import missing_training

pytestmark = pytest.mark.django_db

STATEMENT = "I have read the privacy module and will keep personal information out of posts."


@pytest.fixture
def attested_module(module, city):
    module.configure(
        by=city.mayor,
        completion_mode="attestation",
        pass_mark=75,
        validity_days=365,
        required=True,
        attestation_text=STATEMENT,
    )
    return module


def test_an_attestation_records_a_completion_without_a_score(attested_module):
    person = employee("newhire")
    completion = attested_module.attest(by=person, confirmed=True)
    assert completion.passed and completion.method == "attestation"
    assert completion.score is None and completion.pass_mark is None
    assert completion.attested == STATEMENT
    assert completion.expires_at is not None
    assert attested_module not in missing_training(person)


def test_an_attestation_must_be_confirmed(attested_module):
    with pytest.raises(ValidationError, match="Confirm"):
        attested_module.attest(by=employee("newhire"), confirmed=False)


def test_the_attestation_page_records_it_once_confirmed(client, attested_module):
    person = employee("newhire")
    signed_in(client, person)
    url = reverse("training:complete", args=[attested_module.slug])
    page = client.get(url).content.decode()
    assert STATEMENT in page and 'name="confirm"' in page
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Confirm the statement" in response.content.decode()
    assert not Completion.objects.filter(user=person).exists()
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "Completed. Your training in" in response.content.decode()
    assert Completion.objects.get(user=person).method == "attestation"


def test_a_quiz_module_cannot_be_attested(module):
    with pytest.raises(ValidationError, match="quiz"):
        module.attest(by=employee("newhire"), confirmed=True)
