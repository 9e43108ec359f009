"""Two-factor sign-in (TOTP) for the Mayor's office, designees and supervisors."""

import logging
from base64 import b32decode
from io import StringIO
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import models as account_models
from accounts.demo import DEMO_PASSWORD, demo_totp_key
from accounts.roles import Role
from accounts.two_factor import (
    confirmed_device,
    pass_second_factor,
    requires_two_factor,
    usable_code,
)
from tests.conftest import axe_violations, sign_in

pytestmark = pytest.mark.django_db

VERIFY = reverse("two_factor_verify")
SETUP = reverse("two_factor_setup")


def code_for(user):
    return usable_code(confirmed_device(user))


def a_new_supervisor():
    user = account_models.User.objects.create_user("new.supervisor", password=DEMO_PASSWORD)
    user.groups.add(Group.objects.get(name=Role.SUPERVISOR.value))
    return user


# --- Who -------------------------------------------------------------------------------------


def test_the_mayors_office_and_supervisors_require_two_factor_and_others_do_not(city):
    assert requires_two_factor(city.mayor)
    assert requires_two_factor(city.supervisor)
    assert requires_two_factor(city.supervisor2)
    for person in (city.poster, city.staff, city.clerk, city.outsider):
        assert not requires_two_factor(person), person.username


def test_an_inactive_supervisor_has_no_role_and_needs_no_second_factor(city):
    city.supervisor.is_active = False
    assert not requires_two_factor(city.supervisor)


@pytest.mark.skipif(
    not hasattr(account_models, "Designation"), reason="accounts.models has no Designation yet"
)
def test_a_current_designee_requires_two_factor(city):
    designations = account_models.Designation.objects.current()
    designee = next((d.designee for d in designations), None)
    if designee is None:
        designee = city.staff
        account_models.Designation.objects.create(
            designee=designee, granted_by=city.mayor, authority="Executive Order 2026-03"
        )
    assert requires_two_factor(designee)


# --- The gate --------------------------------------------------------------------------------


def test_a_supervisor_with_an_authenticator_must_enter_a_code_before_any_page(client, city):
    client.force_login(city.supervisor)
    response = client.get(reverse("review:queue"))
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={quote('/review/', safe='')}"
    assert client.get(reverse("dashboard"))["Location"].startswith(VERIFY)


def test_htmx_requests_are_sent_to_the_code_page_too(client, city):
    client.force_login(city.mayor)
    response = client.get(reverse("dashboard"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(VERIFY)


def test_public_pages_health_check_and_sign_out_stay_open(client, city):
    client.force_login(city.supervisor)
    assert client.get(reverse("news:index")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(VERIFY).status_code == 200
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_people_who_need_no_second_factor_are_not_asked(client, city):
    client.force_login(city.poster)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(VERIFY)["Location"] == reverse("dashboard")
    assert client.get(SETUP)["Location"] == reverse("dashboard")


# --- The code page ---------------------------------------------------------------------------


def test_the_right_code_opens_the_pages_with_a_new_session_key(client, city):
    client.force_login(city.supervisor)
    key_before = client.session.session_key
    response = client.post(VERIFY, {"otp_token": code_for(city.supervisor), "next": "/review/"})
    assert response["Location"] == "/review/"
    assert client.session[DEVICE_ID_SESSION_KEY] == confirmed_device(city.supervisor).persistent_id
    assert client.session.session_key != key_before
    assert client.get(reverse("review:queue")).status_code == 200


def test_a_wrong_code_is_refused_and_neither_shown_nor_logged(client, city, caplog):
    client.force_login(city.supervisor)
    wrong = f"{(int(code_for(city.supervisor)) + 1) % 1_000_000:06d}"
    with caplog.at_level(logging.DEBUG):
        response = client.post(VERIFY, {"otp_token": wrong})
    page = response.content.decode()
    assert response.status_code == 400
    assert "That code is not right" in page
    assert wrong not in page
    assert wrong not in caplog.text
    assert client.get(reverse("dashboard"))["Location"].startswith(VERIFY)


def test_a_code_works_once(client, city):
    code = code_for(city.supervisor)
    client.force_login(city.supervisor)
    assert client.post(VERIFY, {"otp_token": code}).status_code == 302
    client.logout()
    client.force_login(city.supervisor)
    assert client.post(VERIFY, {"otp_token": code}).status_code == 400


def test_repeated_wrong_codes_slow_down_the_guessing(client, city):
    client.force_login(city.supervisor)
    for _ in range(3):
        client.post(VERIFY, {"otp_token": "000000"})
    # Even the right code waits out the throttle now.
    response = client.post(VERIFY, {"otp_token": code_for(city.supervisor)})
    assert response.status_code == 400
    assert "Too many wrong codes in a row" in response.content.decode()


def test_next_never_leaves_the_site(client, city):
    client.force_login(city.supervisor)
    response = client.post(
        VERIFY, {"otp_token": code_for(city.supervisor), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dashboard")


def test_the_test_helper_passes_the_second_factor_like_the_code_page(client, city):
    client.force_login(city.mayor)
    pass_second_factor(client, city.mayor)
    assert client.get(reverse("dashboard")).status_code == 200


# --- Setting up ------------------------------------------------------------------------------


def test_a_supervisor_without_an_authenticator_sets_one_up_with_a_qr_code_and_the_secret(
    client, city
):
    supervisor = a_new_supervisor()
    client.force_login(supervisor)
    assert client.get(reverse("dashboard"))["Location"] == f"{SETUP}?next=%2Fdashboard%2F"

    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    secret = b32decode(device_secret(page))
    assert secret.hex() == device.key
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and 'aria-label="QR code of your two-factor secret' in svg
    assert "otpauth" not in page  # the secret's address is drawn, not linked or fetched
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    # Reloading keeps the same secret: a code from the scanned one still works.
    assert device_secret(client.get(SETUP).content.decode()) == device_secret(page)

    response = client.post(SETUP, {"otp_token": f"{totp(secret):06d}", "next": "/dashboard/"})
    assert response["Location"] == "/dashboard/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("dashboard")).status_code == 200


def device_secret(page):
    start = page.index('id="totp-secret"')
    return page[page.index(">", start) + 1 : page.index("</code>", start)].replace(" ", "")


def test_a_wrong_setup_code_leaves_the_authenticator_unconfirmed(client, city):
    supervisor = a_new_supervisor()
    client.force_login(supervisor)
    client.get(SETUP)
    response = client.post(SETUP, {"otp_token": "12345"})
    assert response.status_code == 400
    assert "Enter the 6 digits" in response.content.decode()
    assert confirmed_device(supervisor) is None


def test_a_password_alone_never_sets_up_a_second_authenticator(client, city):
    client.force_login(city.supervisor)
    response = client.get(SETUP)
    assert response["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=city.supervisor, confirmed=False).exists()


# --- The demo city ---------------------------------------------------------------------------


def test_the_demo_gives_its_two_factor_people_an_authenticator_on_the_published_secret(city):
    for person in (city.mayor, city.supervisor):
        assert confirmed_device(person).key == demo_totp_key()
    assert confirmed_device(city.poster) is None


def test_demo_totp_code_prints_a_code_the_code_page_accepts(client, city):
    out = StringIO()
    call_command("demo_totp_code", "supervisor", stdout=out)
    client.force_login(city.supervisor)
    assert client.post(VERIFY, {"otp_token": out.getvalue().strip()}).status_code == 302


def test_demo_totp_code_refuses_real_authenticators_and_production(city, settings):
    device = confirmed_device(city.supervisor)
    device.key = "00" * 20
    device.save()
    with pytest.raises(CommandError, match="not on the demo"):
        call_command("demo_totp_code", "supervisor")
    with pytest.raises(CommandError, match="no two-factor"):
        call_command("demo_totp_code", "poster")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never for production"):
        call_command("demo_totp_code", "mayor")


# --- In the browser --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_two_factor_pages_pass_axe_and_sign_in_enters_the_code(city, live_server, page):
    base = live_server.url
    a_new_supervisor()
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("new.supervisor")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{base}/two-factor/setup/?next=%2Fdashboard%2F")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm and continue").click()
    page.get_by_text("Enter the 6-digit code your authenticator app shows now").first.wait_for()
    assert axe_violations(page) == []

    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("supervisor")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{base}/two-factor/verify/?next=%2Fdashboard%2F")
    assert axe_violations(page) == []
    page.get_by_label("6-digit code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    page.get_by_text("That code is not right").first.wait_for()
    assert axe_violations(page) == []

    page.context.clear_cookies()
    sign_in(page, base, "mayor")  # the shared helper enters the mayor's code
    page.get_by_role("button", name="Sign out mayor").wait_for()
