"""The city's clock for scheduled posts.

People enter a scheduled time as the city's wall clock shows it (settings.TIME_ZONE) and see
every scheduled time with the zone's abbreviation (PST, PDT). Twice a year the wall clock
misbehaves: in spring an hour never happens, in autumn an hour happens twice. Neither is ever
guessed: a time the clocks skip is refused, and a time they show twice waits until the person
says which of the two they mean.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.boundfield import BoundField
from django.utils import dateformat, timezone

from accounts.roles import Role
from review.routing import awaiting

from .models import EDITABLE_STATES, Post, PostState

FIRST, SECOND = "first", "second"
INPUT_FORMAT = "%Y-%m-%dT%H:%M"
INPUT_FORMATS = (INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


# --- The city's zone --------------------------------------------------------------


def city_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def in_city(moment: datetime) -> datetime:
    return moment.astimezone(city_zone())


def clock_label(moment: datetime) -> str:
    """`9:00 AM PDT`. The abbreviation comes from the instant itself: Django's "T" format
    leaves it out for the hour the clocks show twice, exactly where it matters most."""
    local = in_city(moment)
    return f"{dateformat.format(local.replace(tzinfo=None), 'g:i A')} {local.tzname()}"


def day_label(moment: datetime) -> str:
    """`Sunday, March 14, 2027`"""
    return dateformat.format(in_city(moment).replace(tzinfo=None), "l, F j, Y")


def moment_label(moment: datetime) -> str:
    """`Sunday, March 14, 2027, 9:00 AM PDT`"""
    return f"{day_label(moment)}, {clock_label(moment)}"


def short_label(moment: datetime) -> str:
    """`Mar 14, 2027 9:00 AM PDT`: short enough for a history record's reason."""
    local = in_city(moment)
    return f"{dateformat.format(local.replace(tzinfo=None), 'M j, Y')} {clock_label(moment)}"


def zone_hint(now: datetime | None = None) -> str:
    now = now or timezone.now()
    return f"City time ({settings.TIME_ZONE}; it is {clock_label(now)} now)."


# --- From the wall clock to an instant ----------------------------------------------


class ScheduleError(ValueError):
    code = "invalid"


class SkippedTime(ScheduleError):
    """The clocks jump over this time (spring forward)."""

    code = "skipped"


class RepeatedTime(ScheduleError):
    """The clocks show this time twice (fall back); the person must say which."""

    code = "repeated"


def instant_of(wall: datetime, fold: str = "") -> datetime:
    """The instant (in UTC) at which the city's clocks show `wall`, a naive date and time.

    `fold` chooses between the two instants of a time the clocks show twice: FIRST (before
    the clocks go back) or SECOND (after). It is ignored for every other time.
    """
    zone = city_zone()
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if not _shown_by_clocks(first):
        raise SkippedTime(_skipped_message(wall))
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC)
    if fold == FIRST:
        return first.astimezone(UTC)
    if fold == SECOND:
        return second.astimezone(UTC)
    raise RepeatedTime(_repeated_message(wall))


def is_repeated(wall: datetime) -> bool:
    zone = city_zone()
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    return _shown_by_clocks(first) and first.utcoffset() != second.utcoffset()


def fold_choices(wall: datetime) -> list[tuple[str, str]]:
    """The two readings of a time the clocks show twice, in the words the form offers."""
    first, second = (instant_of(wall, fold) for fold in (FIRST, SECOND))
    return [
        (FIRST, f"{clock_label(first)} (the first, before the clocks go back)"),
        (SECOND, f"{clock_label(second)} (the second, an hour later)"),
    ]


def _shown_by_clocks(aware: datetime) -> bool:
    """Whether the clocks ever show this wall time: a skipped time does not survive a round trip."""
    round_trip = aware.astimezone(UTC).astimezone(aware.tzinfo)
    return round_trip.replace(tzinfo=None) == aware.replace(tzinfo=None)


def _clock_change_near(wall: datetime) -> tuple[str, str]:
    """The change of the clocks within a day of `wall`: what they show just before and after.

    zoneinfo does not list its transitions, so find the instant the offset changes by halving.
    """
    zone = city_zone()
    low = (wall - timedelta(days=1)).replace(tzinfo=zone).astimezone(UTC)
    high = (wall + timedelta(days=1)).replace(tzinfo=zone).astimezone(UTC)
    offset_before = low.astimezone(zone).utcoffset()
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    change = high.replace(second=0, microsecond=0)  # clocks change on a whole minute
    before = (change - timedelta(microseconds=1)).astimezone(zone)
    after = change.astimezone(zone)
    before_clock = (change + before.utcoffset()).replace(tzinfo=None)
    return (
        f"{dateformat.format(before_clock, 'g:i A')} {before.tzname()}",
        clock_label(after),
    )


def _wall_label(wall: datetime) -> tuple[str, str]:
    return dateformat.format(wall, "g:i A"), dateformat.format(wall, "l, F j, Y")


def _skipped_message(wall: datetime) -> str:
    clock, day = _wall_label(wall)
    before, after = _clock_change_near(wall)
    return (
        f"{clock} on {day} does not exist in city time: that night the clocks spring forward "
        f"from {before} to {after}, skipping the hour in between. Choose a time before "
        f"{before.rsplit(' ', 1)[0]} or from {after.rsplit(' ', 1)[0]}."
    )


def _repeated_message(wall: datetime) -> str:
    clock, day = _wall_label(wall)
    before, after = _clock_change_near(wall)
    (_, first), (_, second) = fold_choices(wall)
    return (
        f"{clock} on {day} happens twice in city time: that night the clocks go back from "
        f"{before} to {after}. Choose which one you mean: {first}, or {second}."
    )


def parse_wall(text: str) -> datetime | None:
    for input_format in INPUT_FORMATS:
        try:
            # Deliberately naive: this is the city's wall clock, made aware by instant_of().
            return datetime.strptime(text, input_format)  # noqa: DTZ007
        except ValueError:
            continue
    return None


def wall_parts(moment: datetime | None) -> list[str]:
    """A stored instant as the form shows it: the city's wall clock, and which of two if repeated."""
    if moment is None:
        return ["", ""]
    local = in_city(moment)
    wall = local.replace(tzinfo=None)
    fold = (SECOND if local.fold else FIRST) if is_repeated(wall) else ""
    return [wall.strftime(INPUT_FORMAT), fold]


# --- The form field -----------------------------------------------------------------


class ScheduleInput(forms.MultiWidget):
    """The date and time (`<name>`) and, for a time the clocks show twice, which (`<name>_fold`).

    Templates draw the inputs themselves (USWDS markup) from ScheduleBoundField.
    """

    def __init__(self, attrs=None):
        widgets = {
            "": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=INPUT_FORMAT),
            "fold": forms.Select(choices=[("", ""), (FIRST, FIRST), (SECOND, SECOND)]),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        return wall_parts(value)


class ScheduleBoundField(BoundField):
    """What a template needs to draw the schedule inputs."""

    def _parts(self) -> list[str]:
        value = self.value()
        return list(value) if isinstance(value, list | tuple) else ["", ""]

    @property
    def wall_text(self) -> str:
        return (self._parts()[0] or "").strip()

    @property
    def fold(self) -> str:
        return self._parts()[1] or ""

    @property
    def fold_name(self) -> str:
        return f"{self.html_name}_fold"

    @property
    def fold_id(self) -> str:
        return f"{self.auto_id}_fold"

    @property
    def fold_choices(self) -> list[tuple[str, str]]:
        wall = parse_wall(self.wall_text)
        return fold_choices(wall) if wall and is_repeated(wall) else []

    @property
    def fold_question(self) -> str:
        wall = parse_wall(self.wall_text)
        clock, day = _wall_label(wall) if wall else ("", "")
        return f"{clock} happens twice on {day}. Which one?"

    @property
    def reading(self) -> str:
        """The entered time as an instant, with its zone (`Sunday, March 14, 2027, 9:00 AM PDT`)."""
        wall = parse_wall(self.wall_text)
        try:
            return moment_label(instant_of(wall, self.fold)) if wall else ""
        except ScheduleError:
            return ""

    @property
    def zone_hint(self) -> str:
        return zone_hint()


class ScheduleField(forms.Field):
    """A time in the future entered on the city's wall clock; cleans to an aware instant."""

    widget = ScheduleInput
    default_error_messages = {
        "invalid": "Enter the date and time as YYYY-MM-DD HH:MM.",
        "required": "Choose the date and time.",
    }

    def prepare_value(self, value):
        if isinstance(value, datetime):
            return wall_parts(value)
        return value

    def to_python(self, value):
        if isinstance(value, datetime):
            return value
        text, fold = (list(value or []) + ["", ""])[:2]
        text = (text or "").strip()
        if not text:
            return None
        wall = parse_wall(text)
        if wall is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return instant_of(wall, fold or "")
        except ScheduleError as exc:
            raise ValidationError(str(exc), code=exc.code) from exc

    def validate(self, value):
        super().validate(value)
        if value is not None and value <= timezone.now():
            alternative = "." if self.required else ", or leave it empty."
            raise ValidationError(
                f"{moment_label(value)} has passed. Choose a time in the future{alternative}",
                code="past",
            )

    def get_bound_field(self, form, field_name):
        return ScheduleBoundField(form, self, field_name)


class RescheduleForm(forms.Form):
    when = ScheduleField(label="New date and time")


# --- The scheduled posts a person sees ----------------------------------------------


def upcoming_for(user, now: datetime | None = None):
    """Posts waiting for a time still to come that `user` may see, soonest first.

    Their own; a supervisor also their team's and the posts waiting for their approval;
    the Mayor's office every one.
    """
    upcoming = Post.objects.filter(
        state__in=EDITABLE_STATES, scheduled_for__gt=now or timezone.now()
    )
    if not user.has_role(Role.MAYORS_OFFICE):
        visible = Q(author=user)
        if user.has_role(Role.SUPERVISOR):
            submitted = (
                upcoming.filter(state=PostState.SUBMITTED)
                .exclude(author=user)
                .prefetch_related("channels", "approvals", "images")  # for content_digest
            )
            queue = [post.pk for post in awaiting(user, submitted)]
            visible |= Q(author__supervisor=user) | Q(pk__in=queue)
        upcoming = upcoming.filter(visible)
    return upcoming.select_related("author").prefetch_related("channels").order_by("scheduled_for")


@dataclass
class ScheduledDay:
    day: date
    label: str
    entries: list[tuple[str, Post]] = field(default_factory=list)  # (clock, post)


def by_city_day(posts) -> list[ScheduledDay]:
    """Posts grouped by the day they go out, as the city's calendar counts days."""
    days = []
    for day, grouped in groupby(posts, key=lambda post: in_city(post.scheduled_for).date()):
        entries = [(clock_label(post.scheduled_for), post) for post in grouped]
        days.append(
            ScheduledDay(day=day, label=day_label(entries[0][1].scheduled_for), entries=entries)
        )
    return days
