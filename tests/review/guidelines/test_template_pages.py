"""Trying a pre-approved template: the page and the JSON the draft form uses. Nothing is posted."""

import pytest
from django.urls import reverse

from posting.models import Post
from review.guidelines import conforming_templates

pytestmark = pytest.mark.django_db


def closure():
    return next(t for t in conforming_templates("traffic") if t.name == "Planned road closure")


def test_template_fill_returns_the_filled_text_as_json(guidelines, city, client):
    city.sign_in_client(client, "poster")
    spec = closure()
    response = client.post(reverse("guidelines:template_fill", args=[spec.pk]), spec.example_values)
    assert response.status_code == 200
    data = response.json()
    assert data["template"] == spec.pk
    assert data["category"] == "traffic"
    assert data["text"].startswith("Main Street is closed between 3rd and 5th Avenue from 9 AM")
    assert not Post.objects.exists()


def test_template_fill_returns_a_message_per_field(guidelines, city, client):
    city.sign_in_client(client, "staff")
    spec = closure()
    values = dict(spec.example_values, start_time="soon", detour="")
    response = client.post(reverse("guidelines:template_fill", args=[spec.pk]), values)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"start_time", "detour"}
    assert errors["detour"] == ["Fill in this field."]


def test_template_fill_of_a_template_not_offered_is_not_found(guidelines, city, client):
    city.sign_in_client(client, "poster")
    response = client.post(reverse("guidelines:template_fill", args=[999999]), {})
    assert response.status_code == 404
    assert "not offered" in response.json()["errors"]["__all__"][0]


def test_template_fill_needs_a_post_and_a_signed_in_employee(guidelines, city, client):
    spec = closure()
    url = reverse("guidelines:template_fill", args=[spec.pk])
    assert client.post(url, spec.example_values).status_code == 302
    city.sign_in_client(client, "poster")
    assert client.get(url).status_code == 405


def test_the_try_page_fills_a_template(guidelines, city, client):
    city.sign_in_client(client, "staff")
    spec = closure()
    url = reverse("guidelines:try")
    page = client.get(url).content.decode()
    assert "Planned road closure" in page and "Hazard in an area" in page
    page = client.get(url, {"template": spec.pk}).content.decode()
    assert 'for="id_start_time">Start time' in page
    response = client.post(f"{url}?template={spec.pk}", dict(spec.example_values, template=spec.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The filled-in text" in page
    assert "Main Street is closed between 3rd and 5th Avenue" in page
    assert not Post.objects.exists()


def test_the_try_page_shows_what_is_wrong(guidelines, city, client):
    city.sign_in_client(client, "staff")
    spec = closure()
    url = f"{reverse('guidelines:try')}?template={spec.pk}"
    response = client.post(url, dict(spec.example_values, road="main"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The template could not be filled in" in page
    assert "“main” does not fit here." in page
    assert "The filled-in text" not in page
