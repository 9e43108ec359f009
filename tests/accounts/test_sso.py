"""City single sign-on, end to end: a real browser, CitySocial on a live server, and a real
OpenID Connect provider (oidc-provider, from npm, under node) on 127.0.0.1.

Discovery, the authorization code flow with PKCE (S256) and the ID token's validation (its
signature against the provider's JWKS, iss, aud, exp, nonce) all run for real, over HTTP.
"""

import os
from base64 import b32decode
from urllib.parse import parse_qs, urlsplit

import pytest
import social_core.backends.utils as social_backends
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django_otp.oath import totp

from accounts.models import User
from accounts.roles import Role
from tests.oidc import IdentityProvider, ProviderUnavailable, TamperingTokenProxy


def journey(test):
    """A test in the browser against the live server and the provider."""
    return pytest.mark.browser(pytest.mark.django_db(transaction=True)(test))


OIDC_BACKEND = "social_core.backends.open_id_connect.OpenIdConnectAuth"
CLIENT_ID = "citysocial-test"
CLIENT_SECRET = "test-only-client-secret-for-the-local-provider"  # noqa: S105
PASSWORD = "idp-test-password"  # noqa: S105 - the test provider's accounts
GROUP_ROLES = {
    "cs-supervisors": Role.SUPERVISOR.value,
    "cs-city-clerks": Role.CITY_CLERK.value,
    "cs-mayors-office": Role.MAYORS_OFFICE.value,
}


def idp_person(login, first, last, *, email, verified=True, groups=()):
    claims = {
        "preferred_username": login,
        "name": f"{first} {last}",
        "given_name": first,
        "family_name": last,
        "email": email,
        "email_verified": verified,
    }
    if groups:  # a person in no group has no groups claim at all, as with Entra ID
        claims["groups"] = list(groups)
    return login, {"password": PASSWORD, "claims": claims}


# The city's identity provider's people, one for each story below.
IDP_PEOPLE = dict(
    [
        idp_person(
            "avery.brooks",
            "Avery",
            "Brooks",
            email="avery.brooks@riverton.example",
            groups=["cs-city-clerks", "all-staff"],
        ),
        idp_person(
            "casey.morgan",
            "Casey",
            "Morgan",
            email="clerk@riverton.example",
            groups=["cs-city-clerks"],
        ),
        idp_person(
            "sam.okafor", "Sam", "Okafor", email="supervisor@riverton.example", groups=["all-staff"]
        ),
        idp_person(
            "jordan.lee",
            "Jordan",
            "Lee",
            email="jordan.lee@riverton.example",
            groups=["cs-supervisors"],
        ),
        idp_person("eve.tamper", "Eve", "Tamper", email="eve@riverton.example"),
        idp_person(
            "pat.unverified", "Pat", "Nguyen", email="poster@riverton.example", verified=False
        ),
        idp_person("dana.declines", "Dana", "Declines", email="dana@riverton.example"),
        idp_person("riley.replay", "Riley", "Replay", email="riley@riverton.example"),
    ]
)


@pytest.fixture(scope="session")
def identity_provider(live_server):
    provider = IdentityProvider(
        clients=[
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "client_name": "CitySocial",
                "redirect_uris": [f"{live_server.url}/sso/complete/oidc/"],
            }
        ],
        accounts=IDP_PEOPLE,
        log_path=django_settings.VAR_DIR / "test-oidc-provider.log",
    )
    try:
        provider.start()
    except ProviderUnavailable as error:
        if os.environ.get("CI"):
            pytest.fail(str(error))
        pytest.skip(str(error))
    yield provider
    provider.stop()


@pytest.fixture
def city_sign_on(settings, identity_provider):
    """Sign-on switched on as OIDC_ENDPOINT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and
    OIDC_GROUP_ROLES switch it on in settings.py."""
    settings.AUTHENTICATION_BACKENDS = [
        settings.AUTHENTICATION_BACKENDS[0],
        OIDC_BACKEND,
        *settings.AUTHENTICATION_BACKENDS[1:],
    ]
    settings.SOCIAL_AUTH_OIDC_OIDC_ENDPOINT = identity_provider.issuer
    settings.SOCIAL_AUTH_OIDC_KEY = CLIENT_ID
    settings.SOCIAL_AUTH_OIDC_SECRET = CLIENT_SECRET
    settings.OIDC_GROUP_ROLES = GROUP_ROLES
    settings.SOCIAL_AUTH_OIDC_GROUPS_KEY = "groups"
    settings.SOCIAL_AUTH_OIDC_GROUPS_MISSING_AS_EMPTY = True
    # social-core keeps the backends it loaded; load them again from these settings, and after.
    social_backends.BACKENDSCACHE.clear()
    yield identity_provider
    social_backends.BACKENDSCACHE.clear()


def sign_on(page, base_url, login, *, allow=True):
    """At CitySocial's sign-in page: the city account, the provider's sign-in and consent."""
    page.goto(f"{base_url}/login/")
    page.get_by_role("button", name="Sign in with the city account").click()
    page.get_by_role("heading", name="Riverton identity service: sign in").wait_for()
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Riverton identity service: allow access").wait_for()
    page.get_by_role("button", name="Allow" if allow else "Deny").click()


def signed_in_as(page):
    button = page.get_by_role("button", name="Sign out")
    return button.inner_text().removeprefix("Sign out ").strip() if button.count() else None


@journey
def test_a_new_employee_signs_on_and_their_idp_groups_become_roles(
    city, city_sign_on, live_server, page
):
    base = live_server.url
    urls = []
    page.on("request", lambda request: urls.append(request.url))

    sign_on(page, base, "avery.brooks")

    page.wait_for_url(f"{base}/dashboard/")
    assert signed_in_as(page) == "avery.brooks"
    page.get_by_role("link", name="Archive", exact=True).wait_for()  # the City Clerk's page
    employee = User.objects.get(username="avery.brooks")
    assert (employee.first_name, employee.last_name, employee.email) == (
        "Avery",
        "Brooks",
        "avery.brooks@riverton.example",
    )
    assert employee.role_names == {Role.CITY_CLERK}  # "all-staff" maps to no role: ignored
    assert not employee.has_usable_password()
    assert employee.social_auth.get(provider="oidc").uid == "avery.brooks"

    # The authorization request asked for a code with PKCE (S256) and a nonce; the provider
    # requires PKCE, so the token exchange carried the verifier too.
    (authorize,) = [url for url in urls if url.startswith(f"{city_sign_on.issuer}/auth?")]
    query = parse_qs(urlsplit(authorize).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["nonce"][0] and query["state"][0]
    assert "openid" in query["scope"][0].split()
    assert city_sign_on.discovery()["code_challenge_methods_supported"] == ["S256"]


@journey
def test_an_existing_account_is_matched_by_verified_email_and_stays_linked(
    city, city_sign_on, live_server, page
):
    base = live_server.url
    sign_on(page, base, "casey.morgan")
    page.wait_for_url(f"{base}/dashboard/")
    assert signed_in_as(page) == "clerk"
    assert city.clerk.social_auth.get(provider="oidc").uid == "casey.morgan"
    assert not User.objects.filter(username="casey.morgan").exists()

    # Signed out and on again: the provider's link finds the same account.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in with the city account").click()
    page.wait_for_url(f"{base}/dashboard/")  # still signed in at the provider, consent given
    assert signed_in_as(page) == "clerk"


@journey
def test_roles_follow_the_idp_at_each_sign_on_and_a_person_in_no_mapped_group_has_none(
    city, city_sign_on, live_server, page
):
    from django.contrib.auth.models import Group

    base = live_server.url
    # The supervisor also holds a role that no mapping names: CitySocial keeps managing it.
    city.supervisor.groups.add(Group.objects.get(name=Role.STAFF.value))

    sign_on(page, base, "sam.okafor")  # the provider lists no mapped group for them any more

    page.wait_for_url(f"{base}/dashboard/")  # no second factor: no longer a supervisor
    assert signed_in_as(page) == "supervisor"
    assert page.get_by_role("link", name="Approval queue").count() == 0
    assert User.objects.get(pk=city.supervisor.pk).role_names == {Role.STAFF}


@journey
def test_a_supervisor_by_idp_group_sets_up_two_factor_before_anything_else(
    city, city_sign_on, live_server, page
):
    base = live_server.url
    sign_on(page, base, "jordan.lee")

    page.wait_for_url(f"{base}/two-factor/setup/?next=%2Fdashboard%2F")
    assert User.objects.get(username="jordan.lee").role_names == {Role.SUPERVISOR}
    page.goto(f"{base}/review/")  # nothing else opens until the second factor
    assert page.url.startswith(f"{base}/two-factor/setup/")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("6-digit code").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Confirm and continue").click()
    page.wait_for_url(f"{base}/review/")
    page.get_by_role("link", name="Approval queue").first.wait_for()


@journey
def test_a_tampered_id_token_is_refused(city, city_sign_on, live_server, page, settings):
    base = live_server.url
    token_endpoint = city_sign_on.discovery()["token_endpoint"]
    # Someone between CitySocial and the provider adds the Mayor's office to the ID token.
    with TamperingTokenProxy(token_endpoint, groups=["cs-mayors-office"]) as proxy:
        settings.SOCIAL_AUTH_OIDC_ACCESS_TOKEN_URL = proxy.url
        sign_on(page, base, "eve.tamper")
        page.wait_for_url(f"{base}/login/")
    assert proxy.tampered == 1
    page.get_by_text("City sign-on did not complete").wait_for()
    assert "signature could not be verified" in page.get_by_role("status").inner_text()
    assert signed_in_as(page) is None
    assert not User.objects.filter(username="eve.tamper").exists()
    assert list(User.objects.filter(groups__name=Role.MAYORS_OFFICE)) == [city.mayor]


@journey
def test_an_unverified_email_does_not_claim_an_existing_account(
    city, city_sign_on, live_server, page
):
    base = live_server.url
    sign_on(page, base, "pat.unverified")  # says poster@riverton.example, unverified
    page.wait_for_url(f"{base}/login/")
    page.get_by_text("has not verified your e-mail address").wait_for()
    assert signed_in_as(page) is None
    assert not city.poster.social_auth.exists()
    assert not User.objects.filter(username="pat.unverified").exists()


@journey
def test_declining_at_the_provider_signs_no_one_in(city, city_sign_on, live_server, page):
    base = live_server.url
    sign_on(page, base, "dana.declines", allow=False)
    page.wait_for_url(f"{base}/login/")
    page.get_by_text("City sign-on was cancelled").wait_for()
    assert signed_in_as(page) is None
    assert not User.objects.filter(username="dana.declines").exists()


@journey
def test_a_replayed_sign_on_answer_is_refused(city, city_sign_on, live_server, page):
    base = live_server.url
    callbacks = []
    page.on(
        "request",
        lambda request: (
            request.url.startswith(f"{base}/sso/complete/") and callbacks.append(request.url)
        ),
    )
    sign_on(page, base, "riley.replay")
    page.wait_for_url(f"{base}/dashboard/")
    page.get_by_role("button", name="Sign out").click()

    page.goto(callbacks[0])  # the same code and state again

    page.wait_for_url(f"{base}/login/")
    page.get_by_text("City sign-on did not complete").wait_for()
    assert signed_in_as(page) is None


def test_without_an_endpoint_there_is_no_sign_on_button(client, db):
    social_backends.BACKENDSCACHE.clear()
    assert "Sign in with the city account" not in client.get(reverse("login")).content.decode()


def test_a_mapping_to_something_that_is_no_role_is_a_configuration_error(settings):
    from accounts.sso import group_roles

    settings.OIDC_GROUP_ROLES = {"cs-admins": "Administrator"}
    with pytest.raises(ImproperlyConfigured, match="not a role"):
        group_roles()
