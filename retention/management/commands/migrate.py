from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS

from retention.database_roles import connect_as_owner


class Command(DjangoMigrate):
    """Django's migrate, connecting as the tables' owner when DATABASE_OWNER_URL is set: the
    app's own role (DATABASE_URL) owns nothing and may not create or alter tables (702.7)."""

    help = (
        f"{DjangoMigrate.help} Connects as DATABASE_OWNER_URL, the owner of the tables, when it "
        "is set (702.7); run `manage.py secure_database` after it."
    )

    def handle(self, *args, **options):
        if options["database"] == DEFAULT_DB_ALIAS:
            connect_as_owner()
        return super().handle(*args, **options)
