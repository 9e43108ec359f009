"""702.3: each way a draft does not strictly conform to the Mayor's guidelines is a finding."""

import pytest

from review.checks.findings import Decision, Severity, decide
from review.guidelines import evaluate

pytestmark = pytest.mark.django_db

CONFORMING = {
    "announcement": (
        "The Riverside Pool opens for the summer on Saturday, June 7. Hours and prices: "
        "https://www.riverton.example/parks/pools"
    ),
    "crime_prevention": (
        "Lock your car and take valuables with you: most car break-ins are in unlocked cars. "
        "Report suspicious activity to the non-emergency line."
    ),
    "request_for_information": (
        "Did you see the crash at 5th Avenue and Main Street on May 3 around 6 PM? Please call "
        "the tip line at 555-010-0199."
    ),
    "community_engagement": (
        "Help shape the new Riverside Park playground: join us Saturday, May 10 at 10 AM at the "
        "park, or take the survey at https://www.riverton.example/parks/survey."
    ),
    "real_time_safety": (
        "A gas leak is reported near Oak Street and 4th Avenue. Avoid the area and keep windows "
        "closed. For emergencies, call 911."
    ),
    "traffic": (
        "Main Street is closed between 3rd and 5th Avenue from 9 AM to 3 PM on Tuesday for "
        "paving. Detour: use Oak Street."
    ),
    "recruitment": (
        "The City of Riverton is hiring lifeguards for the summer. Apply by April 30 at "
        "https://www.riverton.example/jobs. The City of Riverton is an equal opportunity employer."
    ),
}


def rules(findings):
    return [f.rule for f in findings]


@pytest.mark.parametrize("category", sorted(CONFORMING))
def test_a_conforming_post_of_each_category_has_no_findings(guidelines, city, category):
    findings = evaluate(
        title="Notice",
        body=CONFORMING[category],
        category=category,
        channels=[city.website, city.mastodon],
    )
    assert findings == []
    assert decide(findings) == Decision.ALLOW


def test_every_media_release_goes_to_a_supervisor(guidelines):
    findings = evaluate(
        title="Statement", body="The City announces its new budget today.", category="media_release"
    )
    assert rules(findings) == ["702.3/always-approved"]
    assert "every media release" in findings[0].message
    assert decide(findings) == Decision.NEEDS_APPROVAL


def test_findings_speak_702_3_and_need_a_supervisor(guidelines):
    findings = evaluate(title="Closure", body="Main Street is closed.", category="traffic")
    assert findings
    assert {f.clause for f in findings} == {"702.3"}
    assert {f.severity for f in findings} == {Severity.NEEDS_SUPERVISOR}
    assert all(f.message.startswith("702.3: ") for f in findings)


def test_missing_time_window_is_named_in_plain_words(guidelines):
    body = "Main Street is closed between 3rd and 5th Avenue for paving. Detour: use Oak Street."
    findings = evaluate(title="Closure", body=body, category="traffic")
    assert rules(findings) == ["702.3/required-element"]
    assert findings[0].message == (
        "702.3: a traffic post includes the time window (e.g. 'from 9 AM to 3 PM' or 'until "
        "further notice'). This post does not, so a supervisor approves it first."
    )
    assert (findings[0].start, findings[0].end) == (None, None)


def test_traffic_post_without_location_or_detour(guidelines):
    body = "Crews repair potholes from 9 AM to 3 PM on Tuesday."
    findings = evaluate(title="Repairs", body=body, category="traffic")
    messages = " ".join(f.message for f in findings)
    assert rules(findings) == ["702.3/required-element", "702.3/required-element"]
    assert "the location" in messages
    assert "a detour" in messages


def test_recruitment_needs_the_jobs_page_and_a_closing_date(guidelines):
    body = "We are hiring lifeguards. The City of Riverton is an equal opportunity employer."
    findings = evaluate(title="Jobs", body=body, category="recruitment")
    assert rules(findings) == ["702.3/required-element", "702.3/required-element"]
    assert "a link to the City's jobs page" in findings[0].message
    assert "the closing date" in findings[1].message


def test_required_term_missing(guidelines):
    body = CONFORMING["recruitment"].replace(
        " The City of Riverton is an equal opportunity employer.", ""
    )
    findings = evaluate(title="Jobs", body=body, category="recruitment")
    assert rules(findings) == ["702.3/required-term"]
    assert "“equal opportunity employer”" in findings[0].message


def test_real_time_safety_requires_call_911(guidelines):
    body = CONFORMING["real_time_safety"].replace(" For emergencies, call 911.", "")
    findings = evaluate(title="Gas leak", body=body, category="real_time_safety")
    assert rules(findings) == ["702.3/required-term"]
    assert "call 911" in findings[0].message


def test_banned_term_has_its_span_in_the_body(guidelines):
    body = "Lock your car. The suspect was seen downtown. Call the non-emergency line."
    findings = evaluate(title="Tips", body=body, category="crime_prevention")
    assert rules(findings) == ["702.3/banned-term"]
    finding = findings[0]
    assert finding.field == "body"
    assert body[finding.start : finding.end] == "suspect"
    assert "“suspect”" in finding.message and "crime prevention post" in finding.message


def test_banned_term_in_the_title_is_found_there_whatever_its_case(guidelines):
    title = "Police name Suspect"
    findings = evaluate(
        title=title, body="Lock your car. Call the non-emergency line.", category="crime_prevention"
    )
    assert rules(findings) == ["702.3/banned-term"]
    assert findings[0].field == "title"
    assert title[findings[0].start : findings[0].end] == "Suspect"


def test_banned_terms_match_whole_words_only(guidelines):
    findings = evaluate(
        title="Tips", body=CONFORMING["crime_prevention"], category="crime_prevention"
    )
    assert "suspicious" in CONFORMING["crime_prevention"]
    assert findings == []


def test_each_occurrence_of_a_banned_term_is_a_finding(guidelines):
    body = "Vote for the levy! Please vote   FOR it at https://www.riverton.example/vote."
    findings = evaluate(title="Levy", body=body, category="announcement")
    assert rules(findings) == ["702.3/banned-term", "702.3/banned-term"]
    assert [body[f.start : f.end] for f in findings] == ["Vote for", "vote   FOR"]


def test_link_to_another_domain_has_the_links_span(guidelines):
    body = "The pool opens Saturday. Details at https://pools.example.com/riverton?x=1, see you."
    findings = evaluate(title="Pool", body=body, category="announcement")
    assert rules(findings) == ["702.3/link-domain"]
    finding = findings[0]
    assert body[finding.start : finding.end] == "https://pools.example.com/riverton?x=1"
    assert "pools.example.com" in finding.message
    assert "riverton.example" in finding.message


@pytest.mark.parametrize(
    "link",
    [
        "https://www.riverton.example/parks",
        "https://riverton.example/",
        "http://parks.riverton.example/summer",
        "www.riverton.example/pools",
        "riverton.example/pools",
        "HTTPS://WWW.RIVERTON.EXAMPLE/Parks",
    ],
)
def test_city_links_and_subdomains_conform(guidelines, link):
    body = f"The pool opens Saturday. Details: {link}."
    assert evaluate(title="Pool", body=body, category="announcement") == []


@pytest.mark.parametrize(
    "link, host",
    [
        ("https://riverton.example.evil.com/jobs", "riverton.example.evil.com"),
        ("https://www.riverton.example@evil.com/jobs", "evil.com"),
        ("https://evil.com\\@www.riverton.example/", "evil.com"),
        ("https://notriverton.example/", "notriverton.example"),
        ("http://bit.ly/3xYz", "bit.ly"),
        ("evil.com/pools", "evil.com"),
        ("www.evil.org", "www.evil.org"),
    ],
)
def test_lookalike_and_bare_links_do_not_conform(guidelines, link, host):
    body = f"The pool opens Saturday. Details: {link} today."
    findings = evaluate(title="Pool", body=body, category="announcement")
    assert rules(findings) == ["702.3/link-domain"]
    assert f"goes to {host}" in findings[0].message
    assert body[findings[0].start : findings[0].end].startswith(link.split("\\")[0])


def test_an_email_address_is_not_a_link(guidelines):
    body = "Questions about the pool? Write to pools@riverton.example or aquatics@gmail.com."
    assert evaluate(title="Pool", body=body, category="announcement") == []


def test_link_in_the_title_is_found_there(guidelines):
    title = "See https://evil.example.com"
    findings = evaluate(title=title, body=CONFORMING["announcement"], category="announcement")
    assert rules(findings) == ["702.3/link-domain"]
    assert findings[0].field == "title"
    assert title[findings[0].start : findings[0].end] == "https://evil.example.com"


def test_partner_domains_conform_only_where_the_guideline_lists_them(guidelines):
    body = (
        "Protect yourself from scams: https://www.ncpc.org/resources. Call the non-emergency line."
    )
    assert evaluate(title="Scams", body=body, category="crime_prevention") == []
    findings = evaluate(title="Scams", body=body + " The pool is open.", category="announcement")
    assert rules(findings) == ["702.3/link-domain"]


def test_too_long_has_the_span_past_the_limit(guidelines):
    body = CONFORMING["traffic"] + " Thank you." * 50
    findings = evaluate(title="Closure", body=body, category="traffic")
    assert rules(findings) == ["702.3/length"]
    assert (findings[0].start, findings[0].end) == (500, len(body))
    assert f"at most 500 characters. This one is {len(body)}" in findings[0].message


def test_too_short(guidelines):
    findings = evaluate(title="Fire", body="Fire. Avoid it.", category="real_time_safety")
    assert "702.3/length" in rules(findings)
    length = next(f for f in findings if f.rule == "702.3/length")
    assert "at least 40 characters" in length.message
    assert length.start is None


def test_channel_not_in_the_guideline(guidelines, city):
    guidelines["traffic"].channels.set([city.website])
    findings = evaluate(
        title="Closure",
        body=CONFORMING["traffic"],
        category="traffic",
        channels=[city.website, city.mastodon],
    )
    assert rules(findings) == ["702.3/channel"]
    assert f"a traffic post goes only to {city.website.name}" in findings[0].message
    assert f"This post also goes to {city.mastodon.name}" in findings[0].message
    assert (
        evaluate(
            title="Closure", body=CONFORMING["traffic"], category="traffic", channels=[city.website]
        )
        == []
    )


def test_channels_may_be_given_as_slugs_or_primary_keys(guidelines, city):
    guidelines["traffic"].channels.set([city.website])
    for channels in ([city.mastodon.slug], [city.mastodon.pk], [str(city.mastodon.pk)]):
        findings = evaluate(
            title="Closure", body=CONFORMING["traffic"], category="traffic", channels=channels
        )
        assert rules(findings) == ["702.3/channel"]
    assert (
        evaluate(
            title="Closure",
            body=CONFORMING["traffic"],
            category="traffic",
            channels=["city-website"],
        )
        == []
    )


def test_a_category_without_a_guideline_needs_a_supervisor(db):
    findings = evaluate(title="Notice", body=CONFORMING["traffic"], category="traffic")
    assert rules(findings) == ["702.3/no-guideline"]
    assert "702.4(f) Traffic information" in findings[0].message
    assert decide(findings) == Decision.NEEDS_APPROVAL


def test_an_inactive_guideline_is_no_guideline(guidelines):
    guidelines["traffic"].active = False
    guidelines["traffic"].save()
    findings = evaluate(title="Notice", body=CONFORMING["traffic"], category="traffic")
    assert rules(findings) == ["702.3/no-guideline"]


def test_an_unknown_category_needs_a_supervisor(guidelines):
    findings = evaluate(title="Notice", body="Hello.", category="gossip")
    assert rules(findings) == ["702.3/no-guideline"]


def test_evaluation_costs_one_query_once_compiled(guidelines, django_assert_num_queries, city):
    evaluate(title="Notice", body=CONFORMING["traffic"], category="traffic")
    with django_assert_num_queries(1):
        evaluate(
            title="Notice",
            body=CONFORMING["traffic"],
            category="traffic",
            channels=[city.website, city.mastodon],
        )
    with django_assert_num_queries(len(CONFORMING)):
        for category, body in CONFORMING.items():
            evaluate(title="Notice", body=body, category=category, channels=[city.website])


def test_the_findings_serialize_for_the_draft_form(guidelines):
    body = "Lock your car. The suspect fled. Call the non-emergency line."
    (finding,) = evaluate(title="Tips", body=body, category="crime_prevention")
    data = finding.as_dict()
    assert data["rule"] == "702.3/banned-term"
    assert data["severity"] == "needs_supervisor"
    assert data["clause"] == "702.3"
