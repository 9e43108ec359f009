"""Residents writing to the city (702.5.1): the demo city's topics, and a way to send."""

import copy
import time
import uuid

import pytest
from django.urls import reverse

from contact.models import ContactTopic
from contact.protection import sign_started

# Documentation addresses (RFC 5737): never a real resident's.
RESIDENT_ADDRESS = "203.0.113.7"
NEIGHBOUR_ADDRESS = "198.51.100.23"


@pytest.fixture(autouse=True)
def own_rate_limit_counts(settings):
    """Each test counts messages under a cache prefix of its own, so that runs never share
    counts and nothing else in the Redis database (the broker's queues) is touched."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-contact-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def public_works(city):
    return ContactTopic.objects.get(department__name="Public Works")


@pytest.fixture
def parks(city):
    return ContactTopic.objects.get(department__name="Parks and Recreation")


def form_data(
    topic, body="The street light on Elm Street at 5th has been out for a week.", **fields
):
    """What a person's browser sends: the form opened half a minute ago, the honeypot empty."""
    return {
        "topic": topic.pk,
        "body": body,
        "name": "",
        "email": "",
        "phone": "",
        "website": "",
        "started": sign_started(time.time() - 30),
        **fields,
    }


def send(client, topic, address=RESIDENT_ADDRESS, forwarded_for=None, **fields):
    meta = {"REMOTE_ADDR": address}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("contact:form"), form_data(topic, **fields), **meta)
