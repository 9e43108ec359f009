"""Two-factor sign-in (TOTP, django-otp) for the people who can authorize, designate or approve.

Whoever `requires_two_factor` names passes a second factor after their password or city
sign-on: without a confirmed authenticator the middleware sends them to set one up, with one it
asks for a code, and until then no other page opens. Codes are never logged or echoed back.
"""

import logging
import time
from base64 import b32encode
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import Role

logger = logging.getLogger(__name__)

# Pages a person who still owes a second factor may open: signing in and out, the two-factor
# pages themselves, the public news pages, and the health check.
EXEMPT_URL_NAMES = {"home", "login", "logout", "healthz", "two_factor_setup", "two_factor_verify"}
EXEMPT_NAMESPACES = {"news"}


def requires_two_factor(user) -> bool:
    """Who must sign in with two factors: the Mayor's office, designees and supervisors."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.MAYORS_OFFICE) or user.has_role(Role.SUPERVISOR):
        return True
    # The Mayor's authorized designee (702.3) acts for the Mayor. accounts.models.Designation
    # is new; until it exists there are no designees.
    from . import models

    designation = getattr(models, "Designation", None)
    return designation is not None and (
        designation.objects.current().filter(designee=user).exists()
    )


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_exempt(request) -> bool:
    path = request.path_info
    if path.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name in EXEMPT_URL_NAMES or bool(set(match.namespaces) & EXEMPT_NAMESPACES)


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: no page but the exempt ones until the second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not is_exempt(request)
            and requires_two_factor(user)
        ):
            name = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
            url = reverse(name)
            if request.method == "GET":
                url += "?" + urlencode({"next": request.get_full_path()})
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(url)
            return HttpResponseRedirect(url)
        return self.get_response(request)


# --- Codes -----------------------------------------------------------------------------------


def base32_secret(device) -> str:
    """The secret as an authenticator app takes it by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device) -> str:
    """The otpauth:// address as a QR code, drawn here as inline SVG (no request leaves the page)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10
    )
    svg = image.get_image()
    svg.set("role", "img")
    svg.set("aria-label", "QR code of your two-factor secret, for your authenticator app")
    svg.set("width", "200")
    svg.set("height", "200")
    svg.set("class", "two-factor-qr")
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 - built here, no input


def usable_code(device, at: float | None = None) -> str | None:
    """A code the device accepts now that was not used yet, or None until the next time step.

    TOTP accepts the current time step's code and, within `tolerance`, the next ones; a code is
    good once (django-otp keeps the last step used). For the demo command and the test helpers.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    for offset in range(device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.t() > device.last_t:
            return f"{totp.token():0{device.digits}d}"
    return None


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=16,
        strip=True,
        error_messages={"required": "Enter the 6-digit code your authenticator app shows now."},
    )

    def clean_otp_token(self):
        code = self.cleaned_data["otp_token"].replace(" ", "").replace("-", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6 digits your authenticator app shows now.")
        return code


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def _check(request, form, device) -> bool:
    """Verify the form's code on the device; on failure, say why on the form (never the code)."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        when = f" until {time_format(timezone.localtime(locked_until))}" if locked_until else ""
        form.add_error(
            "otp_token",
            f"Too many wrong codes in a row: codes are not accepted{when}. Wait, then try again.",
        )
        return False
    if device.verify_token(form.cleaned_data["otp_token"]):
        return True
    logger.info("Two-factor: a wrong code for %s.", request.user.get_username())
    form.add_error(
        "otp_token",
        "That code is not right, or was already used. Enter the code your app shows now.",
    )
    return False


def _pass(request, device, next_url):
    # A new session key for the session that now carries the second factor.
    request.session.cycle_key()
    otp_login(request, device)
    return redirect(next_url)


@never_cache
@sensitive_post_parameters("otp_token")
@login_required
def setup(request):
    """First time: show a new secret (text and QR code), confirm it with one code."""
    user = request.user
    next_url = _next_url(request)
    if not requires_two_factor(user) or user.is_verified():
        return redirect(next_url)
    if confirmed_device(user):
        # A second authenticator is added only after passing the first (or by an administrator
        # removing a lost one): a password alone must never enroll a new device.
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url})}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(request, form, device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        logger.info("Two-factor: %s set up an authenticator app.", user.get_username())
        messages.success(request, "Two-factor sign-in is set up. Keep your authenticator app.")
        return _pass(request, device, next_url)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "secret": base32_secret(device),
            "qr_code": qr_code_svg(device),
            "device": device,
        },
        status=400 if form.is_bound else 200,
    )


@never_cache
@sensitive_post_parameters("otp_token")
@login_required
def verify(request):
    """Every sign-in after the first: one code from the authenticator app."""
    user = request.user
    next_url = _next_url(request)
    if not requires_two_factor(user) or user.is_verified():
        return redirect(next_url)
    device = confirmed_device(user)
    if device is None:
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(request, form, device):
        return _pass(request, device, next_url)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": next_url},
        status=400 if form.is_bound else 200,
    )


def pass_second_factor(client, user) -> None:
    """For tests that sign in with `client.force_login`: the session passes the second factor.

    It stores what django_otp.login() stores, for the user's confirmed device (if any).
    """
    device = confirmed_device(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
