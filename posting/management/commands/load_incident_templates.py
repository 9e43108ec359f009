from django.core.management.base import BaseCommand

from posting.incident_templates import load_incident_templates
from review.guideline_defaults import load_default_guidelines


class Command(BaseCommand):
    help = (
        "Give the city the Mayor's default guidelines (702.3) for each category that has none, "
        "and the pre-approved incident update and closing templates (702.4.1) under them. "
        "Never changes what the Mayor's office has edited; safe to run on every deploy."
    )

    def handle(self, *args, **options):
        guidelines = load_default_guidelines()
        made = load_incident_templates()
        self.stdout.write(
            f"{len(guidelines)} guidelines in place; {len(made)} incident template(s) added."
        )
        for template in made:
            self.stdout.write(f"  added: {template.name}")
