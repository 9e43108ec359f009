"""The embedded broker never shows a worker a half-written message (celery/kombu#1551)."""

import json
import threading
from queue import Empty

from kombu import Connection

from citysocial.broker import Transport


def test_messages_reach_the_queue_whole_while_a_consumer_polls(tmp_path):
    queue_dir, processed = tmp_path / "queue", tmp_path / "processed"
    queue_dir.mkdir()
    processed.mkdir()
    options = {
        "data_folder_in": str(queue_dir),
        "data_folder_out": str(queue_dir),
        "processed_folder": str(processed),
        "store_processed": False,
    }
    received, errors = [], []
    with Connection("filesystem://", transport_options=options) as connection:
        assert isinstance(connection.transport, Transport)
        producer_channel = connection.channel()
        consumer = Connection("filesystem://", transport_options=options).channel()
        done = threading.Event()

        def poll():
            while not done.is_set() or len(received) < 300:
                try:
                    received.append(consumer._get("jobs"))
                except Empty:
                    continue
                except Exception as exc:  # a half-written file fails to decode here
                    errors.append(exc)
                    return

        reader = threading.Thread(target=poll)
        reader.start()
        for number in range(300):
            producer_channel._put("jobs", {"body": json.dumps({"n": number})})
        done.set()
        reader.join(timeout=30)

    assert errors == []
    assert sorted(json.loads(m["body"])["n"] for m in received) == list(range(300))
    assert not list((tmp_path / "staging").iterdir())
