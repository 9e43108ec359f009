"""702.7: export archived records as a signed BagIt package, from the command line."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from posting.models import Category, Channel, Incident
from retention.models import ArchiveRecord
from retention.search import search_arguments

from ...export import Exporter, export_records
from ...zipping import zip_bag


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from None


def _incident(number: str) -> Incident:
    incident = Incident.objects.filter(pk=number).first() if number.isdigit() else None
    if incident is None:
        raise CommandError(
            f"No incident {number!r}: give the incident's number, as in its page's address."
        )
    return incident


class Command(BaseCommand):
    help = (
        "702.7: export the archived records a search selects as a BagIt package signed with "
        "the city's key, and archive the export."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The folder to write the bag in.")
        parser.add_argument("--from", dest="date_from", help="First day recorded (YYYY-MM-DD).")
        parser.add_argument("--to", dest="date_to", help="Last day recorded (YYYY-MM-DD).")
        parser.add_argument("--channel", help="A channel's slug or name.")
        parser.add_argument("--category", help="A 702.4 content category, e.g. announcement.")
        parser.add_argument("--query", default="", help="Words every record must contain.")
        parser.add_argument("--author", help="The username of the posts' author.")
        parser.add_argument(
            "--incident",
            help="An incident's number: its posts' records and its own (702.4.1).",
        )
        parser.add_argument("--kind", help="A kind of record, e.g. published.")
        parser.add_argument("--zip", action="store_true", help="Also zip the bag beside it.")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out} is a file, not a folder.")
        query = self._query(options)
        out.mkdir(parents=True, exist_ok=True)
        result = export_records(query=query, out_dir=out, exporter=Exporter.command_line())
        self.stdout.write(f"Bag: {result.bag_path}")
        if options["zip"]:
            self.stdout.write(f"Zip: {zip_bag(result.bag_path, out / f'{result.bag_name}.zip')}")
        self.stdout.write(
            f"Records: {result.records} selected; {result.exported} in their stored bytes, "
            f"{result.destroyed} destroyed on schedule (tombstones); "
            f"media: {result.media_files} files, {result.media_missing} missing."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Signed. Tag manifest SHA-256 {result.tag_manifest_sha256}; "
                f"archived as record {result.archive_record.sequence}."
            )
        )

    def _query(self, options) -> dict:
        date_from = _date(options["date_from"]) if options["date_from"] else None
        date_to = _date(options["date_to"]) if options["date_to"] else None
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from must not come after --to.")
        channel = options["channel"]
        if channel and not Channel.objects.filter(slug=channel).exists():
            match = Channel.objects.filter(name__iexact=channel).first()
            if match is None:
                known = ", ".join(Channel.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(f"No channel {channel!r}. Channels: {known or 'none'}.")
            channel = match.slug
        category = options["category"]
        if category and category not in Category.values:
            raise CommandError(
                f"No category {category!r}. Categories: {', '.join(Category.values)}."
            )
        author = options["author"]
        if author and not User.objects.filter(username=author).exists():
            raise CommandError(f"No user {author!r}.")
        incident = _incident(options["incident"]) if options["incident"] else None
        kind = options["kind"]
        if kind and kind not in ArchiveRecord.Kind.values:
            kinds = ", ".join(ArchiveRecord.Kind.values)
            raise CommandError(f"No kind of record {kind!r}. Kinds: {kinds}.")
        return search_arguments(
            words=options["query"].strip(),
            date_from=date_from,
            date_to=date_to,
            channel=channel,
            category=category,
            author=author,
            incident=incident,
            kind=kind,
        )
