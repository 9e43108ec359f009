"""The city's channels: credentials entered once, a connection test, and 702.5.1 compliance."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import Role

from .credentials import has_secret, store_secret
from .models import Channel
from .platforms import PlatformError


class CredentialsForm(forms.Form):
    secret = forms.CharField(
        label="New credentials",
        help_text="The access token (for Bluesky: a JSON object with identifier and app_password). "
        "Stored encrypted and never shown again.",
        widget=forms.PasswordInput({"class": "usa-input", "autocomplete": "off"}),
        strip=True,
    )


def _require_channel_admin(user) -> None:
    if not (user.has_role(Role.MAYORS_OFFICE) or user.is_superuser):
        raise PermissionDenied(
            "The Mayor's office or an administrator manages the city's channels."
        )


@login_required
def channel_list(request):
    _require_channel_admin(request.user)
    channels = [(c, has_secret(c)) for c in Channel.objects.all()]
    return render(request, "posting/channels.html", {"channels": channels})


@login_required
def channel_detail(request, pk):
    _require_channel_admin(request.user)
    channel = get_object_or_404(Channel, pk=pk)
    form = CredentialsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        store_secret(channel, form.cleaned_data["secret"], by=request.user)
        messages.success(request, "Credentials saved, encrypted. Test the connection below.")
        return redirect("posting:channel", pk=pk)
    return render(
        request,
        "posting/channel.html",
        {
            "channel": channel,
            "form": form,
            "configured": has_secret(channel),
            "capabilities": channel.adapter.capabilities,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def channel_test(request, pk):
    _require_channel_admin(request.user)
    channel = get_object_or_404(Channel, pk=pk)
    try:
        account = channel.adapter.verify_credentials()
    except PlatformError as exc:
        messages.error(request, f"The connection failed: {exc.message}")
    else:
        name = account.get("acct") or account.get("handle") or account.get("name") or "the account"
        messages.success(request, f"Connected to {channel.platform_label} as {name}.")
    return redirect("posting:channel", pk=pk)
