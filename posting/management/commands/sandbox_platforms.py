"""Run the four local sandbox platforms in one process: python manage.py sandbox_platforms.

Mastodon on 8025, Bluesky on 8026, Facebook on 8027 and X on 8028 by default. Each accepts the
credentials the matching channel names in the environment, so the demo's channels work as they
are: SANDBOX_MASTODON_TOKEN, SANDBOX_BLUESKY_CREDENTIALS (JSON {"identifier", "app_password"}),
SANDBOX_FACEBOOK_TOKEN (a token, or JSON {"page_id", "access_token"}) and SANDBOX_X_TOKEN.
"""

import json
import os
import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from posting.sandbox.bluesky import FakeBluesky
from posting.sandbox.facebook import FakeFacebook
from posting.sandbox.mastodon import FakeMastodon
from posting.sandbox.x import FakeX


def _json_env(name: str) -> dict:
    raw = os.environ.get(name, "").strip()
    if not raw.startswith("{"):
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise CommandError(f"{name} is not valid JSON.") from exc
    return value if isinstance(value, dict) else {}


class Command(BaseCommand):
    help = (
        "Run local sandboxes that speak the Mastodon, Bluesky (AT Protocol), Facebook Graph "
        "and X v2 APIs until interrupted. Nothing posted to them is public."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--mastodon-port", type=int, default=8025)
        parser.add_argument("--bluesky-port", type=int, default=8026)
        parser.add_argument("--facebook-port", type=int, default=8027)
        parser.add_argument("--x-port", type=int, default=8028)
        parser.add_argument(
            "--quiet", action="store_true", help="Do not print one line per request."
        )

    def handle(self, *args, host, mastodon_port, bluesky_port, facebook_port, x_port, quiet, **o):
        verbose = not quiet
        bluesky = _json_env("SANDBOX_BLUESKY_CREDENTIALS")
        facebook = _json_env("SANDBOX_FACEBOOK_TOKEN")
        facebook_token = facebook.get("access_token") or (
            "" if facebook else os.environ.get("SANDBOX_FACEBOOK_TOKEN", "")
        )
        facebook_options = {"page_id": str(facebook["page_id"])} if facebook.get("page_id") else {}
        fakes = [
            (
                "Mastodon API",
                FakeMastodon(
                    host=host,
                    port=mastodon_port,
                    token=os.environ.get("SANDBOX_MASTODON_TOKEN") or "sandbox-token",
                    verbose=verbose,
                ),
            ),
            (
                "Bluesky API",
                FakeBluesky(
                    host=host,
                    port=bluesky_port,
                    identifier=bluesky.get("identifier") or "city.bsky.social",
                    app_password=bluesky.get("app_password") or "sandbox-app-password",
                    verbose=verbose,
                ),
            ),
            (
                "Facebook Graph API",
                FakeFacebook(
                    host=host,
                    port=facebook_port,
                    token=facebook_token or "sandbox-page-token",
                    verbose=verbose,
                    **facebook_options,
                ),
            ),
            (
                "X API",
                FakeX(
                    host=host,
                    port=x_port,
                    token=os.environ.get("SANDBOX_X_TOKEN") or "sandbox-user-token",
                    verbose=verbose,
                ),
            ),
        ]
        started = []
        try:
            for name, fake in fakes:
                try:
                    fake.start()
                except OSError as exc:
                    raise CommandError(
                        f"Cannot start the {name} sandbox on {host}:{fake.port}: "
                        f"{exc.strerror or exc}."
                    ) from exc
                started.append((name, fake))
        except CommandError:
            for _, fake in started:
                fake.stop()
            raise

        stopped = threading.Event()

        def stop(signum, frame):
            stopped.set()

        previous = signal.signal(signal.SIGTERM, stop)
        lines = [f"Sandbox ({name}) listening at {fake.base_url}/" for name, fake in started]
        self.stdout.write(
            "\n".join(lines)
            + "\nPoint each channel's API base URL there (Facebook: add /v21.0), and put the "
            "sandbox credentials in the environment variable the channel names. Press Ctrl+C "
            "to stop."
        )
        self.stdout.flush()
        try:
            while not stopped.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            for _, fake in started:
                fake.stop()
            self.stdout.write("Sandbox platforms stopped.")
