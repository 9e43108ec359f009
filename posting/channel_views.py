"""The city's channels: credentials entered once, a connection test, and 702.5.1 compliance."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.validators import MinValueValidator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import Role
from review.reports import latest_public_posting_check

from .credentials import has_secret, store_secret
from .media_models import image_limits
from .models import Channel, ChannelHealth
from .platforms import PlatformError


class CredentialsForm(forms.Form):
    secret = forms.CharField(
        label="New credentials",
        help_text="The access token (for Bluesky: a JSON object with identifier and app_password). "
        "Stored encrypted and never shown again.",
        widget=forms.PasswordInput({"class": "usa-input", "autocomplete": "off"}),
        strip=True,
    )


class DeliverySettingsForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["owner", "rate_limit_per_minute"]
        labels = {
            "owner": "Owner (told when publishing fails or needs a person)",
            "rate_limit_per_minute": "Posts per minute at most",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].widget.attrs["class"] = "usa-select"
        self.fields["owner"].queryset = self.fields["owner"].queryset.filter(is_active=True)
        limit = self.fields["rate_limit_per_minute"]
        limit.widget.attrs["class"] = "usa-input usa-input--small"
        limit.validators.append(MinValueValidator(1))
        limit.widget.attrs["min"] = 1
        limit.help_text = (
            f"Shared by every worker. Blank: {self.instance.adapter.capabilities.posts_per_minute or 'no limit'}"
            " (the platform's default)."
        )


def _require_channel_admin(user) -> None:
    if not (user.has_role(Role.MAYORS_OFFICE) or user.is_superuser):
        raise PermissionDenied(
            "The Mayor's office or an administrator manages the city's channels."
        )


@login_required
def channel_list(request):
    _require_channel_admin(request.user)
    channels = [(c, has_secret(c), latest_public_posting_check(c)) for c in Channel.objects.all()]
    return render(request, "posting/channels.html", {"channels": channels})


@login_required
def channel_detail(request, pk):
    _require_channel_admin(request.user)
    channel = get_object_or_404(Channel, pk=pk)
    posted = request.POST if request.method == "POST" else None
    form = CredentialsForm(posted if posted and "secret" in posted else None)
    settings_form = DeliverySettingsForm(
        posted if posted and "secret" not in posted else None, instance=channel
    )
    if form.is_bound and form.is_valid():
        store_secret(channel, form.cleaned_data["secret"], by=request.user)
        messages.success(request, "Credentials saved, encrypted. Test the connection below.")
        return redirect("posting:channel", pk=pk)
    if settings_form.is_bound and settings_form.is_valid():
        settings_form.save()
        messages.success(request, "Delivery settings saved.")
        return redirect("posting:channel", pk=pk)
    return render(
        request,
        "posting/channel.html",
        {
            "channel": channel,
            "form": form,
            "settings_form": settings_form,
            "health": ChannelHealth.objects.filter(channel=channel).first(),
            "configured": has_secret(channel),
            "capabilities": channel.adapter.capabilities,
            "image_limits": image_limits(channel.adapter.capabilities),
            "public_posting_check": latest_public_posting_check(channel),
        },
        status=400 if form.errors or settings_form.errors else 200,
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
