from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_totp_key
from accounts.models import User
from accounts.two_factor import confirmed_device, usable_code


class Command(BaseCommand):
    help = (
        "Demo city only: print the two-factor code a demo person (mayor, supervisor) can enter "
        "now, from the demo's published secret. Refuses real people's authenticators."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_totp_code is for the demo city, never for production.")
        user = User.objects.filter(username=username).first()
        device = confirmed_device(user) if user else None
        if device is None:
            raise CommandError(f"{username} has no two-factor authenticator.")
        if device.key != demo_totp_key():
            raise CommandError(
                f"{username}'s authenticator is not on the demo's published secret: use their app."
            )
        code = usable_code(device)
        if code is None:
            raise CommandError("This time step's codes are used up: try again in 30 seconds.")
        self.stdout.write(code)
