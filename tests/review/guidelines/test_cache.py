"""702.3: an edit by the Mayor's office takes effect at once, in this process and every other."""

import pytest

from review.guideline_models import Guideline, GuidelineRevision, RequiredElement
from review.guidelines import conforming_templates, evaluate

pytestmark = pytest.mark.django_db

BODY = (
    "Main Street is closed between 3rd and 5th Avenue from 9 AM to 3 PM on Tuesday for paving. "
    "Detour: use Oak Street."
)


def traffic_rules(**kwargs):
    return [f.rule for f in evaluate(title="Closure", body=BODY, category="traffic", **kwargs)]


def test_a_new_banned_term_applies_to_the_next_evaluation(guidelines):
    assert traffic_rules() == []
    guideline = guidelines["traffic"]
    guideline.banned_terms = "paving"
    guideline.save()
    assert traffic_rules() == ["702.3/banned-term"]
    guideline.banned_terms = ""
    guideline.save()
    assert traffic_rules() == []


def test_adding_and_removing_a_required_element_applies_at_once(guidelines):
    assert traffic_rules() == []
    element = guidelines["traffic"].required_elements.create(
        label="the crew's department", pattern=r"\bpublic works\b", hint="Public Works"
    )
    assert traffic_rules() == ["702.3/required-element"]
    element.delete()
    assert traffic_rules() == []


def test_changing_the_channels_applies_at_once(guidelines, city):
    assert traffic_rules(channels=[city.mastodon]) == []
    guidelines["traffic"].channels.add(city.website)
    assert traffic_rules(channels=[city.mastodon]) == ["702.3/channel"]
    guidelines["traffic"].channels.clear()
    assert traffic_rules(channels=[city.mastodon]) == []


def test_deleting_a_guideline_applies_at_once(guidelines):
    assert traffic_rules() == []
    Guideline.objects.get(category="traffic").delete()
    assert traffic_rules() == ["702.3/no-guideline"]


def test_a_template_edit_applies_to_the_offered_templates_at_once(guidelines):
    template = guidelines["traffic"].templates.get(name="Planned road closure")
    template.text = template.text.replace("https", "") + " More: https://evil.example.com"
    template.save()
    assert [t.name for t in conforming_templates("traffic")] == ["Road closed by an incident"]


def test_an_edit_in_another_process_is_seen_through_the_revision_stamp(guidelines):
    assert traffic_rules() == []
    # Another process's edit: the rows and the stamp change, none of this process's signals run.
    Guideline.objects.filter(category="traffic").update(banned_terms="paving")
    assert traffic_rules() == []  # this process still has the compiled guideline
    GuidelineRevision.objects.filter(pk=1).update(stamp="00000000-0000-4000-8000-000000000001")
    assert traffic_rules() == ["702.3/banned-term"]


def test_a_broken_pattern_is_refused_on_save(guidelines):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not a valid pattern"):
        RequiredElement.objects.create(
            guideline=guidelines["traffic"], label="broken", pattern="(unclosed"
        )
    assert traffic_rules() == []


def test_a_pattern_that_no_longer_compiles_sends_posts_to_a_supervisor(guidelines):
    element = guidelines["traffic"].required_elements.first()
    RequiredElement.objects.filter(pk=element.pk).update(pattern="(unclosed")
    GuidelineRevision.bump()
    assert traffic_rules() == ["702.3/required-element"]
