from django.core.management.base import BaseCommand

from training.content import load_default_modules


class Command(BaseCommand):
    help = "Load the default 702.8 training modules; modules already there are left as they are."

    def handle(self, *args, **options):
        modules = load_default_modules()
        self.stdout.write(f"{len(modules)} training modules are in place:")
        for module in modules:
            self.stdout.write(f"  {module.slug} (version {module.version})")
