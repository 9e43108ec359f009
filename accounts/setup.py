from django.contrib.auth.models import Group, Permission

from .roles import ROLE_PERMISSIONS, Role


def ensure_role_groups(**kwargs) -> None:
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        for dotted in ROLE_PERMISSIONS[role]:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
