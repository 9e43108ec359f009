"""Finding public records (702.7): by words, date range, channel, category, author, incident
and kind.

On PostgreSQL the words are matched with full-text search over every string value in a
record's payload: the database fills `search_vector` when the record is inserted (trigger
of migration 0004) and the GIN index `retention_record_words` covers it, so a search over
a million records reads the index, not the payloads. A destroyed record's vector is erased
with its payload, so it drops out of word searches.
Elsewhere (SQLite, for development and tests) each word must appear in one of the payload's
string values, case-insensitively: the same text PostgreSQL indexes, never the field names,
numbers or JSON escapes of the stored form.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.utils import timezone

from .models import ArchiveRecord

SEARCH_CONFIG = "english"
SEARCH_FIELDS = (
    "words",
    "date_from",
    "date_to",
    "channel",
    "category",
    "author",
    "incident",
    "kind",
)
INCIDENT_KINDS = (
    ArchiveRecord.Kind.INCIDENT_OPENED,
    ArchiveRecord.Kind.INCIDENT_UPDATE,
    ArchiveRecord.Kind.INCIDENT_CLOSED,
)


def find_records(
    *,
    words: str = "",
    date_from=None,
    date_to=None,
    channel=None,
    category=None,
    author=None,
    incident=None,
    kind=None,
) -> QuerySet[ArchiveRecord]:
    """The records matching every filter given, newest first; a lazy queryset, safe to stream.

    `date_from` and `date_to` are dates (whole days in the city's time zone, both included)
    or aware datetimes. `channel` is a Channel, its id, or its slug or name. `category` is a
    702.4 category value. `author` is a user, their id, or their username. `kind` is one
    ArchiveRecord.Kind value or a list of them. `incident` is an Incident or its id: the
    records of its posts and its own records (opened, each update, closed; 702.4.1).
    """
    # Newest first by time, then number (the same order: append() takes both under one
    # lock), so that a date range and the order are read from the same index.
    records = ArchiveRecord.objects.select_related("post", "channel").order_by(
        "-recorded_at", "-sequence"
    )
    records = _with_words(records, words)
    if date_from:
        records = records.filter(recorded_at__gte=_start_of(date_from))
    if date_to:
        records = records.filter(recorded_at__lt=_end_of(date_to))
    if channel not in (None, ""):
        records = records.filter(_channel_filter(channel))
    if category:
        records = records.filter(post__category=category)
    if author not in (None, ""):
        records = records.filter(_author_filter(author))
    if incident not in (None, ""):
        records = records.filter(_incident_filter(incident))
    if kind:
        kinds = [kind] if isinstance(kind, str) else list(kind)
        records = records.filter(kind__in=kinds)
    return records


def search_arguments(**arguments) -> dict:
    """The find_records arguments as plain JSON values (for a saved query such as a hold's scope)."""
    saved = {}
    for name, value in arguments.items():
        if value in (None, "", []):
            continue
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        saved[name] = value
    return saved


def find_saved(saved: dict) -> QuerySet[ArchiveRecord]:
    """find_records for a saved query (search_arguments' output)."""
    arguments = dict(saved)
    for name in ("date_from", "date_to"):
        if isinstance(arguments.get(name), str):
            arguments[name] = _parse_moment(arguments[name])
    return find_records(**arguments)


def describe_saved(saved: dict) -> str:
    """A saved query in the Clerk's words: 'words “flood”; from 2026-01-01; category Traffic'."""
    labels = {"date_from": "from", "date_to": "to", "kind": "kind of record"}
    parts = []
    for name in SEARCH_FIELDS:
        if name in saved:
            parts.append(f"{labels.get(name, name)} {_shown(name, saved[name])}")
    return "; ".join(parts)


def _shown(name: str, value) -> str:
    from posting.models import Category, Channel

    if name == "words":
        return f"“{value}”"
    if name == "category":
        return dict(Category.choices).get(value, value)
    if name == "kind":
        kinds = dict(ArchiveRecord.Kind.choices)
        return ", ".join(
            kinds.get(kind, kind) for kind in ([value] if isinstance(value, str) else value)
        )
    if name == "channel" and str(value).isdigit():
        return str(Channel.objects.filter(pk=value).first() or value)
    if name == "incident" and str(value).isdigit():
        from posting.models import Incident

        return str(Incident.objects.filter(pk=value).first() or value)
    if name == "author" and str(value).isdigit():
        author = get_user_model().objects.filter(pk=value).first()
        return author.username if author else str(value)
    return str(value)


def _with_words(records: QuerySet, words: str) -> QuerySet:
    words = (words or "").strip()
    if not words:
        return records
    if connection.vendor == "postgresql":
        query = SearchQuery(words, config=SEARCH_CONFIG, search_type="websearch")
        return records.filter(search_vector=query)
    for word in words.split():
        word = word.strip('"')
        if word:
            records = records.filter(StringValueLike(F("payload"), Value(_containing(word))))
    return records


def _containing(word: str) -> str:
    """A LIKE pattern (escape character \\) for text that contains `word` as typed."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class StringValueLike(Func):
    """SQLite: some string value of a JSON document is LIKE the pattern (letters compared
    case-insensitively, as SQLite's LIKE does). json_tree() walks the document's values,
    decoded: the keys, numbers and escapes of its stored text are never matched."""

    arity = 2
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        document, document_params = compiler.compile(self.source_expressions[0])
        pattern, pattern_params = compiler.compile(self.source_expressions[1])
        # Both parts are compiled SQL with their values as parameters: nothing typed is inlined.
        sql = (
            f"EXISTS (SELECT 1 FROM json_tree({document}) AS words "  # noqa: S608
            f"WHERE words.type = 'text' AND words.value LIKE {pattern} ESCAPE '\\')"
        )
        return sql, (*document_params, *pattern_params)


def _start_of(moment) -> datetime.datetime:
    if isinstance(moment, datetime.datetime):
        return moment
    return timezone.make_aware(datetime.datetime.combine(moment, datetime.time.min))


def _end_of(moment) -> datetime.datetime:
    """The first instant after `moment`: the day after a date, or just past a datetime."""
    if isinstance(moment, datetime.datetime):
        return moment + datetime.timedelta(microseconds=1)
    return _start_of(moment + datetime.timedelta(days=1))


def _parse_moment(text: str):
    if "T" in text:
        return datetime.datetime.fromisoformat(text)
    return datetime.date.fromisoformat(text)


def _channel_filter(channel) -> Q:
    if hasattr(channel, "pk"):
        return Q(channel_id=channel.pk)
    if isinstance(channel, int) or str(channel).isdigit():
        return Q(channel_id=int(channel))
    return Q(channel__slug=channel) | Q(channel__name__iexact=channel)


def _author_filter(author) -> Q:
    if isinstance(author, get_user_model()):
        return Q(post__author_id=author.pk)
    if isinstance(author, int) or str(author).isdigit():
        return Q(post__author_id=int(author))
    return Q(post__author__username=author)


def _incident_filter(incident) -> Q:
    """The incident's own records carry it in their payload; its posts' records by the post."""
    incident_id = int(getattr(incident, "pk", incident))
    return Q(post__incident_id=incident_id) | Q(
        kind__in=INCIDENT_KINDS, payload__incident__id=incident_id
    )
