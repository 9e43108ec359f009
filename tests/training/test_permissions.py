"""702.8: every signed-in employee takes training; only the Mayor's office configures modules and
sees the report. The server refuses everyone else, whatever the form says."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.training.conftest import employee, right_answers, signed_in
from training.models import Completion

pytestmark = pytest.mark.django_db

OTHERS = ["supervisor", "poster", "staff", "clerk", "outsider"]


def mayors_pages(module):
    return [
        reverse("training:report"),
        reverse("training:report_csv"),
        reverse("training:manage"),
        reverse("training:configure", args=[module.slug]),
        reverse("training:publish", args=[module.slug]),
    ]


def settings_data(**overrides):
    data = {
        "completion_mode": "attestation",
        "pass_mark": "90",
        "validity_days": "30",
        "required": "on",
        "attestation_text": "I will follow it.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", OTHERS)
def test_only_the_mayors_office_sees_the_report_and_configures(client, city, module, persona):
    signed_in(client, getattr(city, persona))
    for url in mayors_pages(module):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("training:configure", args=[module.slug]), settings_data())
    assert response.status_code == 403
    response = client.post(
        reverse("training:publish", args=[module.slug]),
        {"note": "x", "requires_retraining": "on"},
    )
    assert response.status_code == 403
    module.refresh_from_db()
    assert (module.completion_mode, module.version) == ("quiz", 1)


def test_the_mayors_office_sees_every_page(client, city, module):
    signed_in(client, city.mayor)
    for url in mayors_pages(module):
        assert client.get(url).status_code == 200, url


def test_the_mayors_office_configures_a_module_through_the_page(client, city, module):
    signed_in(client, city.mayor)
    response = client.post(reverse("training:configure", args=[module.slug]), settings_data())
    assert response.status_code == 302
    module.refresh_from_db()
    assert (module.completion_mode, module.pass_mark, module.validity_days) == (
        "attestation",
        90,
        30,
    )
    assert module.attestation_text == "I will follow it."
    assert module.history.first().history_user == city.mayor


def test_bad_settings_are_refused_with_a_message(client, city, module):
    signed_in(client, city.mayor)
    response = client.post(
        reverse("training:configure", args=[module.slug]),
        settings_data(pass_mark="150", completion_mode="attestation", attestation_text=" "),
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    module.refresh_from_db()
    assert module.pass_mark == 75


def test_the_model_refuses_configuration_by_anyone_else(city, module):
    with pytest.raises(PermissionDenied, match="702.8"):
        module.configure(
            by=city.supervisor,
            completion_mode="quiz",
            pass_mark=10,
            validity_days=3650,
            required=False,
            attestation_text="",
        )


@pytest.mark.parametrize("persona", ["mayor", "supervisor", "poster", "staff", "clerk", "outsider"])
def test_every_signed_in_employee_may_take_training(client, city, module, persona):
    signed_in(client, getattr(city, persona))
    assert client.get(reverse("training:index")).status_code == 200
    assert client.get(reverse("training:module", args=[module.slug])).status_code == 200
    assert client.get(reverse("training:page", args=[module.slug, 1])).status_code == 200
    assert client.get(reverse("training:complete", args=[module.slug])).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, module):
    for url in [reverse("training:index"), reverse("training:complete", args=[module.slug])]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_a_quiz_post_without_the_csrf_token_is_refused(module):
    client = Client(enforce_csrf_checks=True)
    person = employee("newhire")
    client.force_login(person)
    data = {f"question_{q}": str(c) for q, c in right_answers(module).items()}
    response = client.post(reverse("training:complete", args=[module.slug]), data)
    assert response.status_code == 403
    assert not Completion.objects.filter(user=person).exists()


def test_an_unknown_page_or_module_is_not_found(client, module):
    signed_in(client, employee("newhire"))
    assert client.get(reverse("training:page", args=[module.slug, 9])).status_code == 404
    assert client.get(reverse("training:module", args=["nope"])).status_code == 404


def test_published_page_text_is_escaped(client, city, module):
    module.publish_version(
        by=city.mayor,
        note="x",
        requires_retraining=False,
        pages=[("<em>Title</em>", "<script>alert(1)</script>\n\n- <img src=x onerror=alert(1)>")],
    )
    signed_in(client, employee("newhire"))
    page = client.get(reverse("training:page", args=[module.slug, 1])).content.decode()
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;em&gt;Title&lt;/em&gt;" in page
