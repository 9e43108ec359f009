"""702.3: pre-approved templates, filled as their fields ask, conform by construction."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from review.guideline_models import GuidelineTemplate
from review.guidelines import check_template, conforming_templates, evaluate, fill_template

pytestmark = pytest.mark.django_db


def template(name):
    return GuidelineTemplate.objects.get(name=name)


def test_the_defaults_offer_templates_for_four_categories(guidelines):
    offered = {c: [t.name for t in conforming_templates(c)] for c in guidelines}
    assert offered["traffic"] == ["Planned road closure", "Road closed by an incident"]
    assert offered["real_time_safety"] == ["Boil water notice", "Hazard in an area"]
    assert offered["recruitment"] == ["Job opening", "Seasonal jobs"]
    assert offered["announcement"] == [
        "Change to a city service",
        "City offices closed for a holiday",
    ]
    assert offered["media_release"] == []


@pytest.mark.parametrize("category", ["traffic", "real_time_safety", "recruitment", "announcement"])
def test_every_offered_template_filled_with_its_examples_conforms(guidelines, city, category):
    for spec in conforming_templates(category):
        text = fill_template(spec, spec.example_values)
        assert "{" not in text
        assert (
            evaluate(
                title=spec.name,
                body=text,
                category=category,
                channels=[city.website, city.mastodon],
            )
            == []
        )


def test_a_traffic_closure_filled_in(guidelines):
    text = fill_template(
        template("Planned road closure"),
        {
            "road": "Elm Street",
            "segment": "between 1st Avenue and 2nd Avenue",
            "start_time": "7:30 AM",
            "end_time": "noon",
            "date": "Friday, July 11",
            "reason": "a water main repair",
            "detour": "use Cedar Street",
        },
    )
    assert text == (
        "Elm Street is closed between 1st Avenue and 2nd Avenue from 7:30 AM to noon on Friday, "
        "July 11 for a water main repair. Detour: use Cedar Street. Please plan extra time."
    )
    assert evaluate(title="Closure", body=text, category="traffic") == []


def test_bad_fills_are_refused_with_a_message_per_field(guidelines):
    with pytest.raises(ValidationError) as refused:
        fill_template(
            template("Planned road closure"),
            {
                "road": "main",
                "segment": "between 1st and 2nd Avenue",
                "start_time": "morning",
                "end_time": "",
                "date": "Friday, July 11",
                "reason": "paving",
                "detour": "use Cedar Street",
            },
        )
    errors = refused.value.message_dict
    assert set(errors) == {"road", "start_time", "end_time"}
    assert errors["road"] == [
        "“main” does not fit here. A street with its type, capitalized: Main Street, 5th Avenue."
    ]
    assert errors["start_time"] == ["“morning” does not fit here. A time like 9 AM or 2:30 PM."]
    assert errors["end_time"] == ["Fill in this field."]


def test_a_fill_that_would_break_the_guideline_is_refused_on_its_field(guidelines):
    spec = conforming_templates("real_time_safety")[1]
    assert spec.name == "Hazard in an area"
    with pytest.raises(ValidationError) as refused:
        fill_template(
            spec,
            {
                "hazard": "Police activity",
                "where": "near Oak Street, see https://rumors.example.com",
                "instruction": "Avoid the area; the suspect is armed.",
            },
        )
    errors = refused.value.message_dict
    assert set(errors) == {"where", "instruction"}
    assert "702.3" in errors["where"][0] and "rumors.example.com" in errors["where"][0]
    assert "“suspect”" in errors["instruction"][0]


def test_a_fill_is_never_read_as_a_placeholder(guidelines):
    spec = conforming_templates("traffic")[1]
    values = dict(spec.example_values, detour="Elm Street {road}")
    text = fill_template(spec, values)
    assert "Elm Street {road}" in text


def test_fills_are_trimmed_and_extra_values_ignored(guidelines):
    spec = conforming_templates("recruitment")[1]
    values = dict(spec.example_values, season="  Summer ", unknown="https://evil.example.com")
    text = fill_template(spec, values)
    assert text.startswith("Summer jobs with Parks and Recreation")
    assert "evil" not in text


def test_a_template_of_a_media_release_is_never_offered(guidelines):
    made = guidelines["media_release"].templates.create(
        name="Statement", text="The City says {what}."
    )
    made.fields.create(name="what", label="What", example="hello")
    assert conforming_templates("media_release") == []
    assert any("every media release" in p for p in check_template(made))
    with pytest.raises(ValidationError, match="not offered"):
        fill_template(made, {"what": "hello"})


def test_a_template_whose_text_and_fields_disagree_is_not_offered(guidelines):
    made = guidelines["announcement"].templates.create(
        name="Broken", text="The {facility} is closed on {date}. https://www.riverton.example"
    )
    made.fields.create(name="facility", label="Facility", example="Riverside Pool")
    made.fields.create(name="hours", label="Hours", example="9 AM")
    problems = check_template(made)
    assert "The text uses {date}, which has no fill-in field." in problems
    assert "The field “hours” is not used in the text." in problems
    assert "Broken" not in [t.name for t in conforming_templates("announcement")]


def test_an_inactive_template_is_not_offered(guidelines):
    made = template("Seasonal jobs")
    made.active = False
    made.save()
    assert [t.name for t in conforming_templates("recruitment")] == ["Job opening"]
    with pytest.raises(ValidationError):
        fill_template(made, {})


def test_non_conforming_whole_text_is_a_non_field_error(guidelines):
    guideline = guidelines["traffic"]
    guideline.max_length = 120
    guideline.save()
    spec = next(
        t for t in guidelines["traffic"].templates.all() if t.name == "Road closed by an incident"
    )
    # With a 120-character limit the template no longer conforms, so it is not offered at all.
    assert spec.name not in [t.name for t in conforming_templates("traffic")]
    assert any("at most 120 characters" in p for p in check_template(spec))
    guideline.max_length = 230
    guideline.save()
    offered = {t.name: t for t in conforming_templates("traffic")}
    spec = offered["Road closed by an incident"]
    with pytest.raises(ValidationError) as refused:
        fill_template(spec, dict(spec.example_values, detour="x" * 100))
    assert "at most 230 characters" in refused.value.message_dict[NON_FIELD_ERRORS][0]
