"""E-mail to an incident's compilers (702.4.1): proposals in their inbox, overdue updates."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.notifications import send


def _compiler_addresses(incident) -> list[str]:
    return [person.email for person in incident.current_compilers() if person.email]


def _board(incident) -> str:
    return f"{settings.SITE_URL}{reverse('posting:incident', args=[incident.pk])}"


def notify_update_overdue(incident) -> bool:
    recipients = _compiler_addresses(incident)
    if not recipients:
        return False
    due = timezone.localtime(incident.next_update_due_at)
    return send(
        subject=f"Incident update overdue: {incident.title}",
        message=(
            f"The next update of “{incident.title}” was due at {due:%-I:%M %p %Z} "
            f"(every {incident.cadence_minutes} minutes).\n"
            "702.4.1: in an active incident the public counts on frequent updates. Publish one "
            f"from the incident board:\n{_board(incident)}\n"
        ),
        recipients=recipients,
    )


def notify_proposal(proposal) -> bool:
    incident = proposal.incident
    recipients = _compiler_addresses(incident)
    if not recipients:
        return False
    return send(
        subject=f"Proposed update for {incident.title}, from {proposal.proposed_by}",
        message=(
            f"{proposal.proposed_by} proposes this update of “{incident.title}”:\n\n"
            f"{proposal.body}\n\n"
            "702.4.1: as a compiler of the incident you release it or decline it on the board:\n"
            f"{_board(incident)}\n"
        ),
        recipients=recipients,
    )
