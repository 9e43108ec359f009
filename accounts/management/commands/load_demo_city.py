from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, PEOPLE, load_demo_city


class Command(BaseCommand):
    help = "Load the demo city: one login per role and two demo channels. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--mastodon-url", default="http://127.0.0.1:8025")

    def handle(self, *args, **options):
        load_demo_city(mastodon_url=options["mastodon_url"])
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, first, last, _department, role, _title in PEOPLE:
            self.stdout.write(f"  {username:<11} {role.label:<18} ({first} {last})")
