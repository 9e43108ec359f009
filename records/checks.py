"""`check --deploy`: the key that signs exports of public records must be readable."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security, deploy=True)
def signing_key_is_readable(app_configs, **kwargs):
    from .signing import parse_private_key

    if not settings.RECORDS_SIGNING_KEY:
        return []
    if settings.RECORDS_SIGNING_KEY.startswith("change-me"):
        return [
            Warning(
                "RECORDS_SIGNING_KEY is still the placeholder from .env.example: exports of "
                "public records cannot be signed until the city's own key is set.",
                hint="openssl genpkey -algorithm ed25519",
                id="records.W001",
            )
        ]
    try:
        parse_private_key(settings.RECORDS_SIGNING_KEY)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="records.E001")]
    return []
