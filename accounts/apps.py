from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and authorizations"

    def ready(self):
        from .setup import ensure_role_groups

        # After each app migrates (the permissions of later apps exist only then),
        # so that a new city starts with the policy's roles. It is idempotent.
        post_migrate.connect(ensure_role_groups, dispatch_uid="ensure_role_groups")
