from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, PEOPLE, load_demo_city


class Command(BaseCommand):
    help = (
        "Load the demo city: one login per role, the city website and the sandbox channels "
        "(Mastodon, and Bluesky, Facebook and X when their sandbox addresses are given). "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mastodon-url", default="http://127.0.0.1:8025")
        parser.add_argument(
            "--bluesky-url", help="The Bluesky sandbox's address, e.g. http://127.0.0.1:8026."
        )
        parser.add_argument(
            "--facebook-url",
            help="The Facebook sandbox's address, e.g. http://127.0.0.1:8027 (the Graph API "
            "version is added).",
        )
        parser.add_argument("--x-url", help="The X sandbox's address, e.g. http://127.0.0.1:8028.")

    def handle(self, *args, **options):
        load_demo_city(
            mastodon_url=options["mastodon_url"],
            bluesky_url=options["bluesky_url"],
            facebook_url=options["facebook_url"],
            x_url=options["x_url"],
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, first, last, _department, role, _title in PEOPLE:
            self.stdout.write(f"  {username:<11} {role.label:<18} ({first} {last})")
