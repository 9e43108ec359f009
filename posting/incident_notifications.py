"""E-mail to an incident's compilers (702.4.1): proposals in their inbox, overdue updates."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.notifications import send


def _compiler_addresses(incident) -> list[str]:
    return [person.email for person in incident.current_compilers() if person.email]


def _board(incident) -> str:
    return f"{settings.SITE_URL}{reverse('posting:incident', args=[incident.pk])}"


def notify_update_overdue(incident) -> str:
    """E-mail the compilers that an update is overdue. Returns what happened, in the words the
    incident's event and the board show: whom it reached, or why nobody was e-mailed."""
    compilers = list(incident.current_compilers())
    if not compilers:
        return "no compiler is appointed, so nobody was e-mailed."
    reachable = [person for person in compilers if person.email]
    if not reachable:
        return "no compiler has an e-mail address, so nobody was e-mailed."
    due = timezone.localtime(incident.next_update_due_at)
    sent = send(
        subject=f"Incident update overdue: {incident.title}",
        message=(
            f"The next update of “{incident.title}” was due at {due:%-I:%M %p %Z} "
            f"(every {incident.cadence_minutes} minutes).\n"
            "702.4.1: in an active incident the public counts on frequent updates. Publish one "
            f"from the incident board:\n{_board(incident)}\n"
        ),
        recipients=[person.email for person in reachable],
    )
    names = ", ".join(str(person) for person in reachable)
    if not sent:
        return f"the e-mail to {names} could not be sent."
    said = f"e-mailed {names}."
    unreachable = [str(person) for person in compilers if not person.email]
    if unreachable:
        said += f" Not e-mailed (no address): {', '.join(unreachable)}."
    return said


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
