"""The declared permission table holds for every URL of the project, as every role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import permission_table as table
from posting.models import PostingRequest
from review.check_models import WatchListEntry
from review.models import ApprovalChain
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


@pytest.fixture
def objects(city):
    """One of everything a URL can point at, owned as the table's notes assume."""
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
    "review:queue",
    "review:overrides",
    "review:chains",
    "review:chain_new",
}


def url_for(name, objects):
    pk = objects["pk"]
    explicit = {
        "news:item": {"post_id": objects["news"].pk},
        "retention:record": {"sequence": objects["record"].sequence},
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
