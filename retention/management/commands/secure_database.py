from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from retention.database_roles import (
    IMMUTABLE_TABLES,
    RoleProblem,
    app_role_from_settings,
    connect_as_owner,
    secure,
)


class Command(BaseCommand):
    help = (
        "702.7: make the app's PostgreSQL role (if it is missing) and grant it what the web app, "
        "the worker and beat need, with only reading and appending on the archive, so that "
        "the database itself refuses to change, delete or truncate public records. Connects "
        "as DATABASE_OWNER_URL when it is set. Safe to run again; run it after every migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--app-role",
            metavar="NAME",
            help="The role the app connects as. Default: the user DATABASE_URL names (whose "
            "password DATABASE_URL gives too).",
        )

    def handle(self, *args, **options):
        url_role, url_password = app_role_from_settings()
        role = options["app_role"] or url_role
        if not role:
            raise CommandError("Name the app's role with --app-role NAME.")
        if connection.vendor != "postgresql":
            raise CommandError(
                "The database is not PostgreSQL: there are no roles to secure. On SQLite the "
                "model code alone keeps the archive append-only (702.7)."
            )
        connect_as_owner()
        try:
            with transaction.atomic():
                done = secure(connection, role, url_password if role == url_role else None)
        except RoleProblem as problem:
            raise CommandError(str(problem)) from None
        except DatabaseError as error:
            raise CommandError(
                f"PostgreSQL refused: {error}".strip()
                + " Run this as the owner of the tables (DATABASE_OWNER_URL), a role that may "
                "create roles."
            ) from None
        for line in done:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"The role {role} may read and append, but never change, delete or truncate, "
                f"{len(IMMUTABLE_TABLES)} archive tables (702.7)."
            )
        )
