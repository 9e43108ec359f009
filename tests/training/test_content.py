"""702.8: the default modules address, at a minimum, legal issues, privacy, civil rights, and
the dissemination and retention of information posted on City sites."""

import pytest
from django.core.management import call_command

from training.content import load_default_modules
from training.models import REQUIRED_TOPICS, ModuleVersion, TrainingModule
from training.templatetags.training_tags import training_text

pytestmark = pytest.mark.django_db


def test_702_8_the_default_modules_cover_the_five_required_topics(modules):
    covered = {m.topic for m in TrainingModule.objects.required()}
    assert set(REQUIRED_TOPICS) <= covered
    assert len(REQUIRED_TOPICS) == 5


def test_each_module_has_pages_and_a_short_quiz_with_one_right_answer_a_question(modules):
    for module in modules:
        assert module.pages.count() >= 2, module
        questions = list(module.questions_with_choices())
        assert 3 <= len(questions) <= 5, module
        for question in questions:
            assert sum(c.is_correct for c in question.choices.all()) == 1, question
            assert question.choices.count() >= 3
        assert module.required and module.is_quiz and module.validity_days == 365
        assert module.versions.get().number == module.version == 1


@pytest.mark.parametrize(
    "words",
    [
        "Lindke v. Freed",
        "viewpoint discrimination",
        "First Amendment",
        "WCAG 2.1",
        "Section 508",
        "alt text",
        "public record",
        "GS50-01-12",
        "juveniles",
        "HIPAA",
        "FERPA",
        "Hatch Act",
        "Copyright",
        "legal hold",
        "your city's",
    ],
)
def test_the_content_speaks_of(modules, words):
    text = " ".join(page.body + page.title for module in modules for page in module.pages.all())
    assert words.lower() in text.lower()


def test_loading_again_adds_nothing_and_keeps_the_mayors_changes(modules, city):
    first = modules[0]
    first.configure(
        by=city.mayor,
        completion_mode="attestation",
        pass_mark=80,
        validity_days=180,
        required=True,
        attestation_text="I will follow it.",
    )
    again = load_default_modules()
    assert [m.pk for m in again] == [m.pk for m in modules]
    assert TrainingModule.objects.count() == 5
    assert ModuleVersion.objects.count() == 5
    first.refresh_from_db()
    assert (first.completion_mode, first.validity_days) == ("attestation", 180)


def test_the_management_command_loads_the_modules(db, capsys):
    call_command("load_training_modules")
    call_command("load_training_modules")
    assert TrainingModule.objects.count() == 5
    assert "legal-issues (version 1)" in capsys.readouterr().out


def test_page_text_becomes_paragraphs_and_lists_and_is_escaped():
    html = training_text("First <b>line</b>\nsame paragraph.\n\n- one & two\n- <script>x</script>")
    assert html == (
        "<p>First &lt;b&gt;line&lt;/b&gt; same paragraph.</p>\n"
        '<ul class="usa-list"><li>one &amp; two</li><li>&lt;script&gt;x&lt;/script&gt;</li></ul>'
    )
