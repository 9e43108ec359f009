"""The fake Bluesky, Facebook Page and X with a city channel on each (702.5, 702.5.1: the
unauthorized-post detection and the public-posting check read every platform back)."""

from tests.posting.conftest import (  # noqa: F401
    fake_bluesky_server,
    fake_facebook_server,
    fake_x_server,
    platforms,
)
