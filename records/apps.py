from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Public records requests and exports (702.7)"

    def ready(self):
        from retention.holds import register_blocker

        from . import checks  # noqa: F401 - registers the signing key's deploy check
        from .blockers import open_requests_covering, records_blocked_by_open_requests

        # An open public records request blocks disposition like a legal hold (RCW 42.56).
        register_blocker(
            "records_requests",
            records=records_blocked_by_open_requests,
            reasons=open_requests_covering,
        )
