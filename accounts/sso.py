"""City single sign-on (OpenID Connect): social-auth pipeline steps and the messages a person sees.

The city's identity provider (Entra ID, Okta, Google Workspace) vouches for who someone is;
social-core has already checked that (PKCE, and the ID token's signature, iss, aud, exp and nonce)
before these steps run. They decide which CitySocial account that person is, and which roles
follow the provider's groups (settings.OIDC_GROUP_ROLES).
"""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from social_core.exceptions import AuthCanceled, AuthPolicyError
from social_django.middleware import SocialAuthExceptionMiddleware

from .roles import Role

logger = logging.getLogger(__name__)

TRUE_CLAIM_VALUES = (True, "true", "True", 1)


class SignOnRefused(AuthPolicyError):
    """CitySocial's own refusal, with a message for the person who tried to sign on."""

    def __init__(self, backend, message: str):
        super().__init__(backend, code="authentication_disallowed", stage="pipeline")
        self.message = message


def group_roles() -> dict[str, Role]:
    """settings.OIDC_GROUP_ROLES as {identity-provider group: Role}."""
    mapping = {}
    for group, name in settings.OIDC_GROUP_ROLES.items():
        try:
            mapping[group] = Role(name)
        except ValueError:
            raise ImproperlyConfigured(
                f"OIDC_GROUP_ROLES maps {group!r} to {name!r}, which is not a role; "
                f"roles are: {', '.join(Role.values)}."
            ) from None
    return mapping


def _claim(backend, response, name):
    """A claim from the UserInfo answer, else from the validated ID token."""
    if name in response:
        return response[name]
    return (getattr(backend, "id_token", None) or {}).get(name)


def email_is_verified(backend, response) -> bool:
    # OpenID Connect's email_verified (Okta, Google Workspace), or Entra ID's optional claim
    # xms_edov: the address's domain is verified as the tenant's own.
    return any(
        _claim(backend, response, name) in TRUE_CLAIM_VALUES
        for name in ("email_verified", "xms_edov")
    )


def associate_by_verified_email(backend, details, response, user=None, *args, **kwargs):
    """First sign-on of someone the city already knows: find their account by e-mail address.

    Only an address the provider says it verified may claim an existing account; anything else
    would let whoever can set an e-mail address at the provider take over that account.
    """
    if user is not None:  # already linked to this provider identity
        return None
    from .models import User

    email = (details.get("email") or "").strip()
    if not email:
        return None
    matches = list(User.objects.filter(email__iexact=email))
    if not email_is_verified(backend, response):
        if matches:
            raise SignOnRefused(
                backend,
                "City sign-on could not match you to your CitySocial account: the city's identity "
                "service has not verified your e-mail address. Sign in with your username and "
                "password, or ask the city's IT help desk to verify your address.",
            )
        # A new account keeps no unverified address, so that it can never claim another later.
        return {"details": {**details, "email": ""}}
    if len(matches) > 1:
        raise SignOnRefused(
            backend,
            "City sign-on found more than one CitySocial account with your e-mail address. "
            "Ask the city's IT help desk to merge them.",
        )
    if matches:
        if not matches[0].is_active:
            raise SignOnRefused(
                backend,
                "Your CitySocial account is deactivated. Ask the Mayor's office if you need it back.",
            )
        return {"user": matches[0], "is_new": False}
    return None  # someone new: create_user makes a plain employee with no roles


def sync_roles(backend, user=None, groups=None, *args, **kwargs):
    """The roles named in OIDC_GROUP_ROLES follow the provider's groups at every sign-on.

    A mapped role is added when the person is in one of its groups and removed when they are in
    none; roles that no mapping names are left to CitySocial; unmapped groups are ignored.
    """
    mapping = group_roles()
    if user is None or not mapping:
        return
    if groups is None:
        raise ImproperlyConfigured(
            "OIDC_GROUP_ROLES is set but no groups claim was read: set SOCIAL_AUTH_OIDC_GROUPS_KEY."
        )
    managed = set(mapping.values())
    wanted = {mapping[group] for group in groups if group in mapping}
    role_groups = {group.name: group for group in Group.objects.filter(name__in=managed)}
    with transaction.atomic():
        held = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
        added = sorted(wanted - held)
        removed = sorted(held - wanted)
        user.groups.add(*(role_groups[name] for name in added))
        user.groups.remove(*(role_groups[name] for name in removed))
    if added or removed:
        logger.info(
            "City sign-on: roles of %s follow the identity provider: added %s, removed %s.",
            user.get_username(),
            added or "none",
            removed or "none",
        )
    user.__dict__.pop("_role_names", None)


class SignOnErrorMiddleware(SocialAuthExceptionMiddleware):
    """A failed sign-on goes back to the sign-in page with a message a person can act on."""

    def get_message(self, request, exception):
        if isinstance(exception, SignOnRefused):
            return exception.message
        if isinstance(exception, AuthCanceled):
            return "City sign-on was cancelled. You are not signed in."
        return (
            f"City sign-on did not complete: {exception} You are not signed in. Try again; if "
            "it happens again, tell the city's IT help desk."
        )
