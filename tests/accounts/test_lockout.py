"""Local passwords: Django's validators, and django-axes' lockout after repeated failures.

5 wrong passwords for one username from one IP address lock that pair for 30 minutes.
"""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from tests.conftest import axe_violations

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def attempt(client, username, password, ip="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, username, times, ip="203.0.113.7"):
    for _ in range(times):
        response = attempt(client, username, "not-the-password", ip)
    return response


def test_four_failures_then_the_right_password_signs_in_and_resets_the_count(client, city):
    fail(client, "poster", 4)
    assert attempt(client, "poster", DEMO_PASSWORD)["Location"] == reverse("dashboard")
    client.logout()
    fail(client, "poster", 4)  # counted from zero again
    assert attempt(client, "poster", DEMO_PASSWORD).status_code == 302


def test_the_fifth_failure_locks_and_the_page_says_what_happened_and_what_to_do(client, city):
    assert fail(client, "poster", 4).status_code == 200
    response = fail(client, "poster", 1)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Sign-in is locked for 30 minutes" in page
    assert "There were 5 failed sign-ins in a row for <strong>poster</strong>" in page
    assert "Wait 30 minutes, then sign in with the right password" in page
    assert 'name="password"' not in page


def test_while_locked_even_the_right_password_is_refused(client, city):
    fail(client, "poster", 5)
    response = attempt(client, "poster", DEMO_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_after_30_minutes_the_right_password_works_again(client, city):
    fail(client, "poster", 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        assert attempt(client, "poster", DEMO_PASSWORD)["Location"] == reverse("dashboard")


def test_the_lock_is_for_the_username_and_ip_address_together(client, city):
    fail(client, "poster", 5, ip="203.0.113.7")
    assert attempt(client, "poster", DEMO_PASSWORD, ip="198.51.100.20").status_code == 302
    client.logout()
    assert attempt(client, "clerk", DEMO_PASSWORD, ip="203.0.113.7").status_code == 302


def test_force_login_in_view_tests_is_untouched_by_axes(client, city):
    fail(client, "poster", 5)
    client.force_login(city.poster)
    assert client.get(reverse("dashboard")).status_code == 200


def test_django_password_validators_refuse_weak_passwords(city):
    for weak in ("riverton", "12345678901", "password123", "poster"):
        with pytest.raises(ValidationError):
            validate_password(weak, user=city.poster)
    validate_password("correct horse battery staple 702", user=city.poster)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_lockout_page_passes_axe(city, live_server, page):
    page.goto(f"{live_server.url}/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("staff")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_load_state()
    page.get_by_role("heading", name="Sign-in is locked for 30 minutes").wait_for()
    assert axe_violations(page) == []
