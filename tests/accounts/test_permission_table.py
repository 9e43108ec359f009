"""The declared permission table holds for every URL of the project, as every role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import permission_table as table
from posting.models import PostingRequest
from review.check_models import WatchListEntry
from review.models import AnnualReview, ApprovalChain
from training.models import TrainingModule

pytestmark = pytest.mark.django_db


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            nested = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from walk(pattern.url_patterns, nested)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def project_urls():
    return sorted(
        {
            name
            for name in walk(get_resolver().url_patterns)
            if not name.startswith(table.NOT_WALKED)
        }
    )


def test_every_url_of_the_project_is_in_the_table():
    missing = [name for name in project_urls() if table.rule_for(name) is None]
    assert missing == [], f"Add these URLs to accounts/permission_table.py: {missing}"


def test_the_table_names_no_url_that_does_not_exist():
    names = set(project_urls())
    assert [r.url for r in table.TABLE if r.url not in names] == []


def image_on(post):
    """An image on `post`, stored as the draft form stores it."""
    from posting.media_models import PostImage, inspect_image, store_original
    from tests.posting.images import picture, upload

    file = upload(picture())
    facts = inspect_image(file)
    return PostImage.objects.create(
        post=post,
        file=store_original(file, facts),
        sha256=facts.sha256,
        size=facts.size,
        mime_type=facts.mime_type,
        width=facts.width,
        height=facts.height,
        alt_text="A map of the closure",
        added_by=post.author,
    )


@pytest.fixture
def objects(city, settings, tmp_path):
    """One of everything a URL can point at, owned as the table's notes assume."""
    settings.MEDIA_ROOT = tmp_path / "media"
    post = city.submitted()
    request = PostingRequest.file(
        requester=city.staff,
        what="Pool closes early Friday.",
        why="Staff training.",
        audience="Pool users",
        urgency="soon",
        attachment=SimpleUploadedFile("notice.txt", b"Pool notice"),
    )
    news = city.published(title="Library hours")
    record = news.archive_records.get()
    from django.utils import timezone

    from accounts.models import EquipmentException

    exception = EquipmentException.grant(
        employee=city.poster,
        by=city.supervisor,
        reason="Field work",
        valid_until=timezone.now() + timezone.timedelta(days=3),
    )
    return {
        "images": {"post": image_on(post).pk, "news": image_on(news).pk},
        "pk": {
            "posting": post.pk,
            "request": request.pk,
            "authorization": city.poster.authorizations.first().pk,
            "designation": city.designation.pk,
            "org": city.staff.pk,
            "device": city.devices["staff"].pk,
            "exception": exception.pk,
        },
        "post": post,
        "news": news,
        "channel": city.website.pk,
        "chain": ApprovalChain.objects.create(name="Media releases", category="media_release").pk,
        "watch": WatchListEntry.objects.create(term="Jane Roe", kind="investigation").pk,
        "template": guideline_template().pk,
        "module": TrainingModule.objects.first().slug,
        "record": record,
        "retention": retention_objects(city),
        "records": records_objects(city),
        "incident": incident_objects(city),
        "report": report_objects(city, news),
        # 702.6: the demo's review of this year, appointed to the supervisor persona.
        "annual_review": AnnualReview.objects.get(reviewer=city.supervisor).pk,
        "contact": contact_objects(city),
    }


def contact_objects(city):
    """A message from the public in a topic whose inbox every INBOX persona reads, so that the
    walk checks the table's roles (who reads which topic is tested in tests/contact), a
    confirmation link for it, and a topic."""
    from django.core import signing

    from contact.models import ContactMessage, ContactTopic
    from contact.views import SENT_SALT

    topic = ContactTopic.objects.get(department__name="Mayor's Office")
    readers = [city.staff, city.poster, city.supervisor, city.mayor, city.designee, city.clerk]
    topic.change(by=city.mayor, members=readers)
    message = ContactMessage.receive(topic=topic, body="When is the next town hall?")
    return {
        "reference": message.reference,
        "token": signing.dumps(message.reference, salt=SENT_SALT),
        "topic": topic.pk,
    }


def report_objects(city, news):
    """A report of the published post by staff; it goes to the author's supervisor (702.5)."""
    from review.reports import file_report

    report = file_report(by=city.staff, concern="inappropriate", reason="Wrong date.", post=news)
    assert report.assigned_to == city.supervisor
    return report.pk


def incident_objects(city):
    """An open incident compiled by the poster, an update it released and a proposal for it."""
    from posting.incident_models import Incident, IncidentUpdate

    incident = Incident.open(
        by=city.mayor,
        title="Gas leak",
        kind="public_safety",
        severity="severe",
        area="Oak Street and 4th Avenue",
        channels=[city.website, city.mastodon],
        compilers=[city.poster],
    )
    accuracy = {"source": "Fire dispatch", "verified_by": "Battalion Chief R. Ortiz"}
    update = IncidentUpdate.release_new(
        incident=incident,
        by=city.poster,
        equipment=city.kit(city.poster),
        body="A gas leak near Oak Street. Avoid the area. For emergencies, call 911.",
        **accuracy,
    )
    proposal = IncidentUpdate.propose(
        incident=incident, by=city.supervisor, body="Oak Street reopens at 5 PM.", **accuracy
    )
    return {"pk": incident.pk, "update": update.pk, "proposal": proposal.pk}


def records_objects(city):
    """A public records request and an export of the records it covers."""
    from django.utils import timezone

    from records.models import RecordsRequest

    request = RecordsRequest.log(
        by=city.clerk,
        requester_name="Riley Reporter",
        requester_contact="riley@news.example",
        received_on=timezone.localdate(),
        text="Every post about the library.",
        scope={"words": "library"},
    )
    return {"request": request.pk, "export": request.export(by=city.clerk).pk}


def retention_objects(city):
    """A series, a hold, a batch waiting for the Clerk and a certificate of one destroyed."""
    from datetime import timedelta

    from retention.disposition import propose_batches
    from retention.models import DispositionBatch, LegalHold, RecordRetention, RetentionSeries
    from retention.schedules import start_clocks

    routine = RetentionSeries.objects.get(code="SOCIAL-POSTS")
    old = city.published(title="Road closed", category="traffic").archive_records.get()
    start_clocks(RecordRetention.objects.filter(pk=old.pk), old.recorded_at - timedelta(days=1000))
    certificate = propose_batches()[0].approve(by=city.clerk)
    hold = LegalHold.place(by=city.clerk, matter="Doe v. City", reason="Claim", query={"kind": "x"})
    return {
        "series": routine.pk,
        "hold": hold.pk,
        "batch": DispositionBatch.objects.create(series=routine).pk,
        "certificate": certificate.pk,
    }


def guideline_template():
    from review.guideline_defaults import load_default_guidelines
    from review.guideline_models import GuidelineTemplate

    load_default_guidelines()
    return GuidelineTemplate.objects.filter(guideline__category="traffic").first()


NO_ARGUMENTS = {
    "posting:mine",
    "posting:new",
    "posting:counts",
    "posting:requests",
    "posting:request_new",
    "posting:channels",
    "posting:emergency",
    "posting:emergency_start",
    "posting:scheduled",
    "posting:incidents",
    "posting:incident_new",
    "review:queue",
    "review:overrides",
    "review:chains",
    "review:chain_new",
}


def url_for(name, objects):
    pk = objects["pk"]
    explicit = {
        "news:item": {"post_id": objects["news"].pk},
        "news:image": {"post_id": objects["news"].pk, "image": objects["images"]["news"]},
        "posting:image": {"pk": objects["pk"]["posting"], "image": objects["images"]["post"]},
        "retention:record": {"sequence": objects["record"].sequence},
        **{
            name: {"pk": objects["records"]["request"]}
            for name in (
                "records:request",
                "records:request_export",
                "records:request_exemption",
                "records:request_release",
                "records:request_close",
            )
        },
        **{
            name: {"pk": objects["records"]["export"]}
            for name in ("records:export", "records:export_progress", "records:export_download")
        },
        "retention:series": {"pk": objects["retention"]["series"]},
        "retention:series_edit": {"pk": objects["retention"]["series"]},
        "retention:hold": {"pk": objects["retention"]["hold"]},
        "retention:hold_release": {"pk": objects["retention"]["hold"]},
        "retention:batch": {"pk": objects["retention"]["batch"]},
        "retention:batch_approve": {"pk": objects["retention"]["batch"]},
        "retention:batch_decline": {"pk": objects["retention"]["batch"]},
        "retention:certificate": {"pk": objects["retention"]["certificate"]},
        "retention:certificate_csv": {"pk": objects["retention"]["certificate"]},
        "accounts:equipment_decide": {"pk": pk["device"], "decision": "approve"},
        "accounts:authorization": {"pk": pk["authorization"]},
        "accounts:designation_revoke": {"pk": pk["designation"]},
        "accounts:org_chart_edit": {"pk": pk["org"]},
        "accounts:equipment_exception_end": {"pk": pk["exception"]},
        "training:page": {"slug": objects["module"], "number": 1},
        "training:module": {"slug": objects["module"]},
        "training:complete": {"slug": objects["module"]},
        "training:configure": {"slug": objects["module"]},
        "training:publish": {"slug": objects["module"]},
        "posting:channel": {"pk": objects["channel"]},
        "posting:channel_test": {"pk": objects["channel"]},
        "guidelines:edit": {"category": "traffic"},
        "guidelines:history": {"category": "traffic"},
        "guidelines:template_new": {"category": "traffic"},
        "guidelines:template_edit": {"pk": objects["template"]},
        "guidelines:template_fill": {"pk": objects["template"]},
        "checks:section": {"section": "watch-list"},
        "checks:new": {"section": "watch-list"},
        "checks:edit": {"section": "watch-list", "pk": objects["watch"]},
        "checks:delete": {"section": "watch-list", "pk": objects["watch"]},
        "review:chain": {"pk": objects["chain"]},
        **{
            name: {"pk": objects["incident"]["pk"]}
            for name in (
                "posting:incident",
                "posting:incident_live",
                "posting:incident_publish",
                "posting:incident_propose",
                "posting:incident_compilers",
                "posting:incident_settings",
                "posting:incident_close",
                "posting:incident_after_action",
                "posting:incident_after_action_csv",
                "news:incident",
                "news:incident_feed",
            )
        },
        **{
            name: {"pk": objects["incident"]["pk"], "update": objects["incident"]["proposal"]}
            for name in ("posting:incident_accept", "posting:incident_decline")
        },
        "posting:incident_correct": {
            "pk": objects["incident"]["pk"],
            "update": objects["incident"]["update"],
        },
        **{
            name: {"pk": objects["report"]}
            for name in (
                "reports:detail",
                "reports:remove",
                "reports:dismiss",
                "reports:investigation",
            )
        },
        "reports:post": {"pk": pk["posting"]},
        **{
            name: {"pk": objects["annual_review"]}
            for name in ("annual:detail", "annual:findings", "annual:sign_off", "annual:pdf")
        },
        **{
            name: {"reference": objects["contact"]["reference"]}
            for name in (
                "contact:message",
                "contact:answer",
                "contact:assign",
                "contact:move",
                "contact:release",
            )
        },
        "contact:sent": {"token": objects["contact"]["token"]},
        "contact:topic_edit": {"pk": objects["contact"]["topic"]},
        "posting:resolve": {
            "pk": objects["news"].pk,
            "publication": objects["news"].publications.get().pk,
        },
    }
    if name in explicit:
        return reverse(name, kwargs=explicit[name])
    if name.startswith("posting:request") and name not in NO_ARGUMENTS:
        return reverse(name, kwargs={"pk": pk["request"]})
    if name.startswith(("posting:", "review:")) and name not in NO_ARGUMENTS:
        return reverse(name, kwargs={"pk": pk["posting"]})
    return reverse(name)


def outcome(client, rule, url):
    """What happened, in the table's words: allowed, refused (403) or sent to sign in."""
    with transaction.atomic():
        response = client.post(url) if rule.method == "POST" else client.get(url)
        transaction.set_rollback(True)
    if response.status_code == 403:
        return "refused"
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return "sign in"
    # Past the permission check; an empty form may still be refused as bad input (400, 404).
    assert response.status_code < 500, f"{rule.url} answered {response.status_code}"
    return "allowed"


@pytest.mark.parametrize("role", table.ROLES)
def test_the_table_holds_for_every_url(client, city, objects, role):
    persona = {
        table.ANONYMOUS: None,
        table.STAFF: "staff",
        table.POSTER: "poster",
        table.SUPERVISOR: "supervisor",
        table.MAYOR: "mayor",
        table.DESIGNEE: "designee",
        table.CLERK: "clerk",
        table.IT: "it",
    }[role]
    if persona:
        city.sign_in_client(client, persona)
    wrong = []
    for name in project_urls():
        if name == "logout" or (name == "login" and persona):
            continue  # signing in or out changes who is asking; their own tests cover them
        rule = table.rule_for(name)
        got = outcome(client, rule, url_for(name, objects))
        if rule.allows(role):
            expected = "allowed"
        else:
            expected = "sign in" if role == table.ANONYMOUS else "refused"
        if got != expected:
            wrong.append(f"{name}: expected {expected}, got {got}")
    assert wrong == []
