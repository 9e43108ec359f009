"""Run the local sandbox Mastodon server in the foreground: python manage.py sandbox_mastodon."""

import os
import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from posting.sandbox.mastodon import FakeMastodon


class Command(BaseCommand):
    help = (
        "Run a local sandbox that speaks the Mastodon API (statuses, accounts, rate-limit "
        "headers, Idempotency-Key) until interrupted. Nothing posted to it is public."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8025, help="Port to listen on.")
        parser.add_argument(
            "--token",
            default=os.environ.get("SANDBOX_MASTODON_TOKEN") or "sandbox-token",
            help="The bearer token the sandbox accepts (default: $SANDBOX_MASTODON_TOKEN "
            "or 'sandbox-token').",
        )
        parser.add_argument(
            "--quiet", action="store_true", help="Do not print one line per request."
        )

    def handle(self, *args, host, port, token, quiet, **options):
        if not token:
            raise CommandError("The sandbox needs a token: pass --token.")
        fake = FakeMastodon(host=host, port=port, token=token, verbose=not quiet)
        try:
            fake.start()
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from exc

        stopped = threading.Event()

        def stop(signum, frame):
            stopped.set()

        previous = signal.signal(signal.SIGTERM, stop)
        self.stdout.write(
            f"Sandbox Mastodon API listening at {fake.base_url}/ (timeline on that page).\n"
            f"Point a Mastodon channel's API base URL there, and put the sandbox token in the "
            f"environment variable the channel names. Press Ctrl+C to stop."
        )
        self.stdout.flush()
        try:
            while not stopped.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            fake.stop()
            self.stdout.write("Sandbox Mastodon API stopped.")
