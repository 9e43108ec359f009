"""702.7: PostgreSQL itself keeps the app from changing or deleting public records.

Two roles share the database:

- the owner (DATABASE_OWNER_URL) owns every table and function; `manage.py migrate` and
  `manage.py secure_database` connect as it;
- the app's role (DATABASE_URL), for the web app, the worker and beat, owns nothing. It may
  read and write the tables it works with, but may only read and append the tables of the
  archive (IMMUTABLE_TABLES): no UPDATE, no DELETE, no TRUNCATE, and, not owning them, no
  ALTER TABLE ... DISABLE TRIGGER. The one change an archive row takes, its content erased
  under a certificate of destruction, goes through the owner's SECURITY DEFINER function
  retention_erase_under_certificate() (migration 0009), which checks the certificate.

`secure_database` makes the app's role (if it is missing) and grants it exactly that; it may
be run again at any time, and is, after every migrate (docker-compose.yml).
"""

import base64
import hashlib
import hmac
import secrets
import unicodedata

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Read and append only: the archive's records, its certificates of destruction and their
# entries, and the custody log of exports and releases.
IMMUTABLE_TABLES = (
    "retention_archiverecord",
    "retention_dispositioncertificate",
    "retention_certificateentry",
    "records_custodyentry",
)
# The owner's functions the app's role may call (migration 0009).
APP_FUNCTIONS = (
    "retention_erase_under_certificate(bigint, bigint[])",
    "retention_lock_for_disposition(bigint[])",
)
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


class RoleProblem(Exception):
    """The roles are set up in a way that would leave the archive unguarded."""


def connect_as_owner(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Point this process's connection at the tables' owner (DATABASE_OWNER_URL), for
    migrate and secure_database. False when no owner is configured (the connection's role
    then owns the tables itself)."""
    owner = settings.DATABASE_OWNER
    if not owner:
        return False
    connection = connections[alias]
    connection.close()
    # The database's name stays the connection's own (a test database has its own name).
    for key in ("USER", "PASSWORD", "HOST", "PORT"):
        connection.settings_dict[key] = owner.get(key, "")
    return True


def app_role_from_settings() -> tuple[str, str]:
    """The app's role and password, as DATABASE_URL names them."""
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    return database.get("USER") or "", database.get("PASSWORD") or ""


def secure(connection, role: str, password: str | None = None) -> list[str]:
    """Make `role` (if missing) and grant it the app's privileges: everything it needs, but
    only reading and appending on the archive. Returns what was done, in words."""
    if connection.vendor != "postgresql":
        raise RoleProblem(
            "Privileges are PostgreSQL's: on SQLite the model code guards the archive."
        )
    done = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, current_database(), current_schema(), "
            "quote_ident(current_user), quote_ident(current_database()), "
            "quote_ident(current_schema()), quote_ident(%s)",
            [role],
        )
        owner, database, schema, owner_q, database_q, schema_q, role_q = cursor.fetchone()
        if role == owner:
            raise RoleProblem(
                f"The app's role {role!r} is the role this command connects as, the owner of "
                "the tables: set DATABASE_OWNER_URL to the owner and DATABASE_URL to another "
                "role, or name another role with --app-role."
            )
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            cursor.execute(f"CREATE ROLE {role_q} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
            done.append(f"Created the role {role}.")
        elif found[0]:
            raise RoleProblem(
                f"The role {role!r} is a superuser: no privilege binds it. Give the app a role "
                "that is not a superuser."
            )
        if password:
            # Hashed here, so that the password itself never reaches the server's log.
            cursor.execute("SELECT quote_literal(%s)", [scram_verifier(password)])
            cursor.execute(f"ALTER ROLE {role_q} PASSWORD {cursor.fetchone()[0]}")
            done.append(f"Set the password of {role} to DATABASE_URL's.")
        _refuse_ownership_and_inheritance(cursor, role, owner, schema)
        statements = [
            f"GRANT CONNECT ON DATABASE {database_q} TO {role_q}",
            f"GRANT USAGE ON SCHEMA {schema_q} TO {role_q}",
            f"REVOKE CREATE ON SCHEMA {schema_q} FROM {role_q}",
            f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema_q} TO {role_q}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_q} TO {role_q}",
            # Tables a later migration makes are the app's to use too; the command, run after
            # every migrate, takes the archive's back to reading and appending.
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema_q} "
            f"GRANT {TABLE_PRIVILEGES} ON TABLES TO {role_q}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema_q} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {role_q}",
        ]
        for table in IMMUTABLE_TABLES:
            statements += [
                f"REVOKE ALL ON TABLE {schema_q}.{table} FROM PUBLIC",
                f"REVOKE ALL ON TABLE {schema_q}.{table} FROM {role_q}",
                f"GRANT SELECT, INSERT ON TABLE {schema_q}.{table} TO {role_q}",
            ]
        for function in APP_FUNCTIONS:
            statements += [
                f"REVOKE ALL ON FUNCTION {schema_q}.{function} FROM PUBLIC",
                f"GRANT EXECUTE ON FUNCTION {schema_q}.{function} TO {role_q}",
            ]
        for statement in statements:
            cursor.execute(statement)
    done.append(
        f"Granted {role} the use of database {database} (schema {schema}), owned by {owner}: "
        f"reading and appending only on {', '.join(IMMUTABLE_TABLES)}."
    )
    return done


def scram_verifier(password: str, *, salt: bytes | None = None, iterations: int = 4096) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802, RFC 7677)."""
    salt = salt or secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac(
        "sha256", unicodedata.normalize("NFKC", password).encode("utf-8"), salt, iterations
    )
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()

    def b64(value: bytes) -> str:
        return base64.b64encode(value).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _refuse_ownership_and_inheritance(cursor, role: str, owner: str, schema: str) -> None:
    cursor.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND pg_get_userbyid(c.relowner) = %s",
        [schema, role],
    )
    (owned,) = cursor.fetchone()
    if owned:
        raise RoleProblem(
            f"The role {role!r} owns {owned} table(s) or sequence(s) in schema {schema}: an "
            "owner may change its own tables however it likes. Give them to the owner first "
            f"(as a superuser: REASSIGN OWNED BY {role} TO {owner};), then run this again."
        )
    cursor.execute("SELECT pg_has_role(%s, %s, 'USAGE')", [role, owner])
    if cursor.fetchone()[0]:
        raise RoleProblem(
            f"The role {role!r} is a member of {owner!r} and inherits its rights over the "
            f"tables: REVOKE {owner} FROM {role}; then run this again."
        )
