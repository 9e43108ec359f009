"""The embedded broker (`make run` without Redis): kombu's filesystem transport, made safe.

Kombu's filesystem transport creates a message's file in the queue folder and then writes
it, so a worker polling at that instant can read an empty file, fail to decode it and stop,
and the message is lost (celery/kombu#1551). Here a message is written beside the queue
folder and renamed into it: a rename is atomic, so a worker sees a whole message or none.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        staging = os.path.join(os.path.dirname(self.data_folder_out.rstrip(os.sep)), "staging")
        os.makedirs(staging, exist_ok=True)
        written = os.path.join(staging, name)
        try:
            with open(written, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(written, os.path.join(self.data_folder_out, name))
        except OSError as exc:
            raise ChannelError(f"Cannot add a message to {self.data_folder_out!r}") from exc


class Transport(filesystem.Transport):
    Channel = Channel


TRANSPORT_ALIASES["filesystem"] = "citysocial.broker:Transport"
