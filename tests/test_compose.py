"""docker-compose.yml and .env.example describe a CitySocial that can actually start.

There is no Docker in the test run: these tests read the two files and hold every name in them
(entry points, subcommands, options, copied files, variables) against the code. A few start real
processes from the repository instead of the image: the build's collectstatic step, Django's
deploy check under .env.example, gunicorn answering the web healthcheck, and the beat
healthcheck finding a beat process.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import click
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS_FILE = ROOT / "citysocial" / "settings.py"

APP_SERVICES = ("web", "worker", "beat")
BACKING_SERVICES = ("postgres", "redis")
# Variables that neither settings.py nor the compose file's ${...} read, and who reads them.
READ_ELSEWHERE = {"WEB_CONCURRENCY": "gunicorn (default number of workers)"}
# Deploy-check warnings that .env.example may leave: its SECRET_KEY and RECORDS_SIGNING_KEY are
# placeholders, and the HSTS preload list is something a city opts into.
ACCEPTED_DEPLOY_WARNINGS = {"security.W009", "security.W021", "records.W001"}

COMPOSE = yaml.safe_load(COMPOSE_FILE.read_text())
SERVICES = COMPOSE["services"]
# The services that run the CitySocial image (web, worker, beat and any one-shot job).
IMAGE_SERVICES = sorted(name for name, service in SERVICES.items() if "build" in service)


# --- Reading the files ------------------------------------------------------------------------


def argv_of(command) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]


def programs_of(command) -> list[list[str]]:
    """The programs a command runs: `sh -c "a && exec b"` runs two."""
    argv = argv_of(command)
    if len(argv) == 3 and Path(argv[0]).name in {"sh", "bash"} and argv[1] == "-c":
        parts = [shlex.split(part) for part in re.split(r"&&|\|\||;", argv[2]) if part.strip()]
        return [part[1:] if part[0] == "exec" else part for part in parts]
    return [argv]


def service_programs() -> list[tuple[str, list[str]]]:
    return [
        (name, argv) for name in IMAGE_SERVICES for argv in programs_of(SERVICES[name]["command"])
    ]


def dockerfile() -> str:
    return SERVICES["web"]["build"]["dockerfile_inline"]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions, pending = [], ""
    for line in dockerfile().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        keyword, _, rest = (pending + line).strip().partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
        pending = ""
    return instructions


def env_files(service: dict) -> list[str]:
    value = service.get("env_file", [])
    entries = [value] if isinstance(value, str | dict) else value
    return [entry["path"] if isinstance(entry, dict) else entry for entry in entries]


def healthcheck_script(service: str) -> str:
    """The code of a `python -c` healthcheck."""
    test = SERVICES[service]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"], f"{service}'s healthcheck is not `python -c`"
    return test[3]


def unescape_compose(text: str) -> str:
    """What the container sees of a compose string: `$$` is compose's escaped `$`."""
    return text.replace("$$", "$")


INTERPOLATION = re.compile(r"\$\$|\$\{([A-Za-z_]\w*)([^}]*)\}|\$([A-Za-z_]\w*)")


def interpolations(node=COMPOSE):
    """(name, modifier) for every ${NAME...} or $NAME compose fills in from .env."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from interpolations(key)
            yield from interpolations(value)
    elif isinstance(node, list):
        for item in node:
            yield from interpolations(item)
    elif isinstance(node, str):
        for match in INTERPOLATION.finditer(node):
            if match.group(0) != "$$":
                yield match.group(1) or match.group(3), match.group(2) or ""


ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)=(.*)$")
COMMENTED_ASSIGNMENT = re.compile(r"^#\s?([A-Z_][A-Z0-9_]*)=(.*)$")


def env_example() -> dict[str, str]:
    """The variables .env.example sets, as compose reads them."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = ASSIGNMENT.match(line)
        if match:
            value = match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[match.group(1)] = value
    return values


def env_example_documented() -> set[str]:
    """The variables .env.example sets or shows commented out with their default."""
    names = set(env_example())
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = COMMENTED_ASSIGNMENT.match(line)
        if match:
            names.add(match.group(1))
    return names


SETTINGS_READ = re.compile(
    r"(?:os\.environ\.get|os\.getenv|envbool|envint|envlist|required_in_production)"
    r"\(\s*\"([A-Z][A-Z0-9_]*)\"|os\.environ\[\s*\"([A-Z][A-Z0-9_]*)\"\s*\]"
)


def settings_variables() -> set[str]:
    return {a or b for a, b in SETTINGS_READ.findall(SETTINGS_FILE.read_text())}


def subprocess_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """A bare environment, as in a container: PATH and the like, plus `variables`."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env["CITYSOCIAL_VAR_DIR"] = str(tmp_path / "var")
    env.update(variables)
    return env


# --- The services -----------------------------------------------------------------------------


def test_the_five_services_exist():
    assert set(APP_SERVICES + BACKING_SERVICES) <= set(SERVICES)


@pytest.mark.parametrize("service", APP_SERVICES + BACKING_SERVICES)
def test_every_service_has_a_healthcheck(service):
    healthcheck = SERVICES[service].get("healthcheck")
    assert healthcheck, f"{service} has no healthcheck"
    assert not healthcheck.get("disable")
    assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}
    assert len(healthcheck["test"]) > 1


def test_web_worker_and_beat_share_one_image_build_and_the_env_file():
    builds = [SERVICES[name].get("build") for name in IMAGE_SERVICES]
    assert builds[0], "the app services have no build"
    assert all(build == builds[0] for build in builds), "the app services build different images"
    assert set(APP_SERVICES) <= set(IMAGE_SERVICES)
    for name in IMAGE_SERVICES:
        assert env_files(SERVICES[name]) == [".env"], f"{name} does not read .env"


def test_web_runs_gunicorn_and_worker_and_beat_run_celery():
    assert Path(programs_of(SERVICES["web"]["command"])[-1][0]).name == "gunicorn"
    for name in ("worker", "beat"):
        argv = programs_of(SERVICES[name]["command"])[-1]
        assert argv[0] == "celery"
        assert name in argv, f"the {name} service does not run `celery {name}`"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_wait_for_healthy_postgres_and_redis(service):
    depends_on = SERVICES[service].get("depends_on")
    assert isinstance(depends_on, dict), f"{service}'s depends_on has no conditions"
    for backing in BACKING_SERVICES:
        assert depends_on.get(backing, {}).get("condition") == "service_healthy", (
            f"{service} does not wait for {backing} to be healthy"
        )


def runs_migrate(service: str) -> bool:
    return any(
        argv[1:3] == ["manage.py", "migrate"] for argv in programs_of(SERVICES[service]["command"])
    )


def test_702_7_the_migrator_secures_the_apps_role_and_only_it_holds_the_owners_password():
    (migrate,) = [name for name in IMAGE_SERVICES if runs_migrate(name)]
    programs = programs_of(SERVICES[migrate]["command"])
    commands = [argv[2] for argv in programs if argv[1:2] == ["manage.py"]]
    assert commands.index("secure_database") > commands.index("migrate")
    for service in APP_SERVICES:
        environment = SERVICES[service].get("environment") or {}
        for secret in ("DATABASE_OWNER_URL", "POSTGRES_PASSWORD"):
            assert environment.get(secret) == "", f"{service} is given {secret}"


def test_migrations_are_applied_before_web_worker_and_beat_start():
    migrators = [name for name in IMAGE_SERVICES if runs_migrate(name)]
    assert len(migrators) == 1, "no one-shot service runs `manage.py migrate`"
    migrate = migrators[0]
    assert SERVICES[migrate].get("restart") in {"no", False}, f"{migrate} would run forever"
    assert SERVICES[migrate]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for service in APP_SERVICES:
        condition = SERVICES[service]["depends_on"].get(migrate, {}).get("condition")
        assert condition == "service_completed_successfully", (
            f"{service} may start before the migrations are applied"
        )


# --- Every command is a real entry point ------------------------------------------------------


def check_gunicorn(args: list[str]) -> None:
    from gunicorn.config import Config

    try:
        parsed = Config().parser().parse_args(args)
    except SystemExit:
        pytest.fail(f"gunicorn rejects its arguments {args}")
    assert len(parsed.args) == 1, f"gunicorn is not given one application: {parsed.args}"
    module_name, _, attribute = parsed.args[0].partition(":")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citysocial.settings")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attribute or "application", None)), (
        f"{module_name} has no WSGI application {attribute!r}"
    )


def click_options(command: click.Command) -> dict[str, click.Option]:
    return {
        name: param
        for param in command.params
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
    }


def check_celery(args: list[str]) -> tuple[str, list[str]]:
    """Check `celery ARGS` as celery's own command line would; return the subcommand and args."""
    from celery import Celery
    from celery.app.utils import find_app
    from celery.bin.celery import celery as celery_cli

    group_options, app_name, index = click_options(celery_cli), None, 0
    while index < len(args) and args[index].startswith("-"):
        name, equals, value = args[index].partition("=")
        option = group_options.get(name)
        assert option, f"celery has no option {name}"
        takes_value = not (option.is_flag or option.count)
        if takes_value and not equals:
            index += 1
            value = args[index]
        if option.name == "app":
            app_name = value
        index += 1
    assert app_name, "the celery command does not name its app with -A"
    app = find_app(app_name)  # what `celery -A` does
    assert isinstance(app, Celery)
    assert isinstance(importlib.import_module("citysocial.celery").app, Celery)
    assert app is importlib.import_module("citysocial.celery").app

    subcommand, rest = args[index], args[index + 1 :]
    assert subcommand in celery_cli.commands, f"`celery {subcommand}` is not a celery command"
    options = click_options(celery_cli.commands[subcommand])
    for arg in rest:
        if arg.startswith("-"):
            assert arg.partition("=")[0] in options, f"`celery {subcommand}` has no option {arg}"
    return subcommand, rest


def check_manage_py(args: list[str]) -> None:
    from django.core.management import get_commands, load_command_class

    assert (ROOT / "manage.py").is_file()
    name = args[0]
    commands = get_commands()
    assert name in commands, f"`manage.py {name}` is not a management command"
    command = load_command_class(commands[name], name)
    command.create_parser("manage.py", name).parse_args(args[1:])  # CommandError if invalid


@pytest.mark.parametrize(
    "service,argv", service_programs(), ids=[name for name, _ in service_programs()]
)
def test_each_service_command_runs_a_real_entry_point(service, argv):
    program = Path(argv[0]).name
    if program == "gunicorn":
        check_gunicorn(argv[1:])
    elif program == "celery":
        check_celery(argv[1:])
    elif program.startswith("python") and argv[1:2] == ["manage.py"]:
        check_manage_py(argv[2:])
    else:
        pytest.fail(f"{service} runs {argv}, which this test does not know how to check")


def test_worker_healthcheck_pings_its_own_node_through_a_shell():
    test = SERVICES["worker"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL", "$HOSTNAME needs a shell to expand"
    argv = shlex.split(unescape_compose(test[1]))
    assert argv[0] == "celery"
    subcommand, rest = check_celery(argv[1:])
    assert subcommand == "inspect" and rest[0] == "ping"
    destination = (
        rest[rest.index("-d") + 1] if "-d" in rest else rest[rest.index("--destination") + 1]
    )
    assert destination == "celery@$HOSTNAME"  # a worker's default node name


def test_web_healthcheck_asks_the_port_gunicorn_binds_for_a_page_the_project_serves():
    from django.urls import resolve
    from gunicorn.config import Config

    script = healthcheck_script("web")
    compile(script, "web healthcheck", "exec")
    url = urlsplit(re.search(r"https?://[^\"']+", script).group(0))
    gunicorn = Config().parser().parse_args(programs_of(SERVICES["web"]["command"])[-1][1:])
    assert [f"0.0.0.0:{url.port}"] == gunicorn.bind
    assert any(str(port).endswith(f":{url.port}") for port in SERVICES["web"].get("ports", []))
    assert resolve(url.path).url_name == "healthz"


# --- Running what the files describe ----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_web_healthcheck_passes_against_the_web_command_under_env_example(tmp_path):
    argv = programs_of(SERVICES["web"]["command"])[-1]
    port = free_port()
    bind = argv.index("--bind") + 1
    argv = [*argv[:bind], f"127.0.0.1:{port}", *argv[bind + 1 :]]
    env = subprocess_env(tmp_path, **{**env_example(), "WEB_CONCURRENCY": "1"})
    script = healthcheck_script("web").replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *argv[1:]], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        deadline, result = time.monotonic() + 30, None
        while time.monotonic() < deadline and server.poll() is None:
            result = subprocess.run(
                [sys.executable, "-c", script], env=env, capture_output=True, text=True
            )
            if result.returncode == 0:
                break
            time.sleep(0.3)
        assert result is not None and result.returncode == 0, (
            f"healthcheck: {result and result.stderr}\n"
            f"gunicorn: {(tmp_path / 'gunicorn.log').read_text()}"
        )
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


def test_beat_healthcheck_finds_a_running_beat_process():
    script = healthcheck_script("beat")
    beat = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "beat"])
    try:
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    finally:
        beat.kill()
        beat.wait()


def test_env_example_settings_pass_djangos_deploy_check(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=subprocess_env(tmp_path, **env_example()),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = set(re.findall(r"\(([\w.]+\.W\d+)\)", output))
    assert warnings <= ACCEPTED_DEPLOY_WARNINGS, output


# --- The image --------------------------------------------------------------------------------


def test_image_is_python_312_slim_with_npm_ci_and_pip_install():
    text = dockerfile()
    froms = [args for keyword, args in dockerfile_instructions() if keyword == "FROM"]
    assert froms[-1].split()[0] == "python:3.12-slim"
    assert "npm ci" in text
    assert "pip install ." in text


def test_image_copies_only_files_that_exist_and_never_secrets_or_local_environments():
    copies = [args.split() for keyword, args in dockerfile_instructions() if keyword == "COPY"]
    assert copies
    for args in copies:
        if any(arg.startswith("--from") for arg in args):
            continue
        for source in args[:-1]:
            assert source not in {".", "./", "*"}, "COPY . would put .env and .venv in the image"
            assert not source.startswith((".env", ".venv", "node_modules", "var")), source
            assert (ROOT / source).exists(), f"the image copies {source}, which does not exist"


def test_npm_ci_installs_every_node_package_the_static_files_come_from():
    from django.conf import settings

    run_npm = next(args for keyword, args in dockerfile_instructions() if "npm ci" in args)
    package = json.loads((ROOT / "package.json").read_text())
    installed = dict(package.get("dependencies", {}))
    if "--omit=dev" not in run_npm and "--production" not in run_npm:
        installed |= package.get("devDependencies", {})
    for entry in settings.STATICFILES_DIRS:
        path = Path(entry[1] if isinstance(entry, tuple) else entry)
        if "node_modules" in path.parts:
            after = path.parts[path.parts.index("node_modules") + 1 :]
            name = "/".join(after[:2]) if after[0].startswith("@") else after[0]
            assert name in installed, f"npm ci in the image does not install {name}"
    assert "COPY --from=assets /app/node_modules ./node_modules" in dockerfile()


def test_build_time_collectstatic_works_with_only_its_dummy_settings(tmp_path):
    run = next(args for keyword, args in dockerfile_instructions() if "collectstatic" in args)
    step = shlex.split(run.split("&&")[0])
    assignments = dict(arg.split("=", 1) for arg in step if ASSIGNMENT.match(arg))
    command = [arg for arg in step if not ASSIGNMENT.match(arg)]
    assert assignments.get("CITYSOCIAL_PRODUCTION") == "1", (
        "static files must be collected for production"
    )
    assert command[:3] == ["python", "manage.py", "collectstatic"]
    env = subprocess_env(tmp_path, **assignments)
    result = subprocess.run(
        [sys.executable, *command[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "var" / "staticfiles" / "staticfiles.json").is_file(), (
        "no whitenoise manifest"
    )


# --- .env.example -----------------------------------------------------------------------------


def test_env_example_declares_every_variable_the_compose_file_interpolates():
    declared = env_example()
    for name, modifier in interpolations():
        assert name in declared, f"docker-compose.yml uses ${{{name}}}; .env.example lacks it"
        if modifier.startswith((":?", "?")):
            assert declared[name], (
                f"docker-compose.yml requires {name}; .env.example leaves it empty"
            )


def test_env_example_documents_every_variable_settings_reads():
    missing = settings_variables() - env_example_documented()
    assert not missing, f"settings.py reads {sorted(missing)}, which .env.example does not show"


def test_every_env_example_variable_is_read_by_something():
    readers = settings_variables() | {name for name, _ in interpolations()} | set(READ_ELSEWHERE)
    unread = env_example_documented() - readers
    assert not unread, f".env.example sets {sorted(unread)}, which nothing reads"


def test_every_env_example_variable_has_a_comment_above_it():
    lines = ENV_EXAMPLE.read_text().splitlines()
    for number, line in enumerate(lines):
        match = ASSIGNMENT.match(line) or COMMENTED_ASSIGNMENT.match(line)
        if not match:
            continue
        above = number - 1
        explained = False
        while above >= 0 and lines[above].strip():
            if lines[above].startswith("#") and not COMMENTED_ASSIGNMENT.match(lines[above]):
                explained = True
                break
            above -= 1
        assert explained, f"{match.group(1)} in .env.example has no comment"


def test_env_example_is_for_production_and_reaches_the_compose_services():
    env = env_example()
    assert env["CITYSOCIAL_PRODUCTION"] == "1"
    # 702.7: the owner of the tables is the user the PostgreSQL service creates; the app
    # connects to the same database as a role of its own, which secure_database sets up.
    owner = urlsplit(env["DATABASE_OWNER_URL"])
    app = urlsplit(env["DATABASE_URL"])
    for database in (owner, app):
        assert database.scheme in {"postgres", "postgresql"}
        assert database.hostname == "postgres" and database.hostname in SERVICES
        assert database.port in {None, 5432}
        assert database.path.lstrip("/") == env["POSTGRES_DB"]
    assert owner.username == env["POSTGRES_USER"]
    assert owner.password == env["POSTGRES_PASSWORD"]
    assert app.username and app.username != owner.username, "the app would own the archive"
    assert app.password and app.password != owner.password
    redis = urlsplit(env["REDIS_URL"])
    assert redis.scheme == "redis" and redis.hostname == "redis" and redis.hostname in SERVICES


PLACEHOLDER = re.compile(r"change-?me|example|placeholder|replace|dummy|your-", re.IGNORECASE)
SECRET_NAME = re.compile(r"SECRET|TOKEN|PRIVATE|(?:^|_)KEY$")
CREDENTIAL_FORMATS = re.compile(
    r"AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-|sk-[A-Za-z0-9]{20,}"
    r"|-----BEGIN|eyJ[A-Za-z0-9_-]{10,}\.|django-insecure-"
)


def looks_generated(value: str) -> bool:
    """Long, letters mixed with digits, unpredictable: a key or a generated password."""
    if len(value) < 20 or PLACEHOLDER.search(value) or "://" in value:
        return False
    if not (re.search("[A-Za-z]", value) and re.search("[0-9]", value)):
        return False
    classes = sum(
        bool(re.search(pattern, value)) for pattern in ("[a-z]", "[A-Z]", "[0-9]", "[^A-Za-z0-9]")
    )
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in Counter(value).values())
    return classes >= 3 and entropy >= 3.5


def test_env_example_secrets_are_empty_or_marked_placeholders():
    env = env_example()
    assert "change-me" in env["SECRET_KEY"]
    for name, value in env.items():
        if SECRET_NAME.search(name):
            assert not value or PLACEHOLDER.search(value), f"{name} holds what may be a secret"


def test_env_example_holds_nothing_that_looks_like_a_real_secret():
    assert looks_generated(secrets.token_urlsafe(50)), "the detector misses a generated key"
    for name, value in env_example().items():
        candidates = [value]
        if "://" in value:
            candidates.append(urlsplit(value).password or "")
        for candidate in candidates:
            assert not CREDENTIAL_FORMATS.search(candidate), f"{name} looks like a credential"
            assert not looks_generated(candidate), f"{name} looks like a generated secret"
