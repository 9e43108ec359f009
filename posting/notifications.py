"""Telling people about posting requests (702.3) and about deliveries that need them."""

from django.conf import settings

from accounts.notifications import send


def _link(obj) -> str:
    return f"{settings.SITE_URL}{obj.get_absolute_url()}"


def request_filed(request) -> None:
    if request.supervisor.email:
        send(
            subject=f"Posting request from {request.requester} ({request.get_urgency_display()})",
            message=f"{request.requester} asks for a post:\n\n{request.what}\n\nDecide: {_link(request)}\n",
            recipients=[request.supervisor.email],
        )


def request_decided(request) -> None:
    recipients = [u.email for u in (request.requester, request.forwarded_to) if u and u.email]
    if recipients:
        send(
            subject=f"Posting request: {request.get_status_display()}",
            message=f"{request.progress}.\n{request.decision_note}\n\n{_link(request)}\n",
            recipients=recipients,
        )


def _delivery_recipients(publication) -> list[str]:
    people = [publication.post.author, publication.channel.owner]
    return sorted({person.email for person in people if person and person.email})


def publication_failed(publication) -> None:
    """A permanent error: the author and the channel's owner hear it in plain words."""
    recipients = _delivery_recipients(publication)
    if recipients:
        send(
            subject=f"Not published on {publication.channel}: {publication.post}",
            message=(
                f'"{publication.post}" could not be published on {publication.channel}, and it '
                f"will not be tried again by itself.\n\nWhat happened: "
                f"{publication.last_error}\n\nWhat to do: fix the cause (for example, new "
                "credentials for the channel or a change to the text), then use Retry on the "
                f"post's page: {_link(publication.post)}\n"
            ),
            recipients=recipients,
        )


def publication_needs_person(publication) -> None:
    """The platform may have the post and cannot say: someone has to look before anything is sent."""
    recipients = _delivery_recipients(publication)
    if recipients:
        send(
            subject=f"Please check {publication.channel}: {publication.post}",
            message=(
                f'It is not known whether "{publication.post}" reached {publication.channel}. '
                "CitySocial will not send it again by itself, so that it cannot appear twice.\n\n"
                f"{publication.last_error}\n\nLook at the account, then on the post's page "
                f"choose whether it is there or should be sent: {_link(publication.post)}\n"
            ),
            recipients=recipients,
        )
