from dataclasses import dataclass, field
from typing import Any


class PlatformError(Exception):
    """The platform refused or could not be reached. `message` is fit to show the author."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        status: int | None = None,
        response: Any = None,
    ):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status
        self.response = response


@dataclass
class PublishResult:
    remote_id: str
    remote_url: str
    raw_response: dict[str, Any] = field(default_factory=dict)


class Adapter:
    """What every platform offers CitySocial: publish, delete, fetch, and its text rules."""

    text_limit = 5000

    def __init__(self, channel):
        self.channel = channel

    def text_length(self, text: str) -> int:
        return len(text)

    def publish(self, publication) -> PublishResult:
        raise NotImplementedError

    def delete(self, publication) -> None:
        raise NotImplementedError

    def fetch(self, publication) -> dict[str, Any]:
        raise NotImplementedError
