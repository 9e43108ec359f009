from django.conf import settings

from .roles import Role


def city(request):
    user = getattr(request, "user", None)
    roles = user.role_names if user is not None and user.is_authenticated else set()
    return {
        "CITY_NAME": settings.CITY_NAME,
        "user_roles": roles,
        "is_mayors_office": Role.MAYORS_OFFICE in roles,
        "is_supervisor": Role.SUPERVISOR in roles,
        "is_clerk": Role.CITY_CLERK in roles,
    }
