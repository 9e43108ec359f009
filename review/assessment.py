"""One verdict on a post's content: the Mayor's guidelines (702.3) and the prohibited-content
rules (702.5), together.

The draft form asks as the author types; submission and approval ask again on the
server, which is the authority, and keep the answer with the post.
"""

from dataclasses import dataclass

from .checks.engine import check
from .checks.findings import Decision, Finding, Severity, decide
from .guidelines import evaluate
from .models import Assessment


@dataclass
class Verdict:
    findings: list[Finding]
    decision: Decision

    @property
    def conforms(self) -> bool:
        """Strictly conforms to the guidelines and passed every check (702.3)."""
        return self.decision == Decision.ALLOW

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.BLOCK]


def assess(*, title: str, body: str, category: str, channels=(), author=None, images=()) -> Verdict:
    """`images`: (name, alternative text) pairs (702.3, accessibility)."""
    rules = check(
        title=title, body=body, category=category, channels=channels, author=author, images=images
    )
    guideline = evaluate(title=title, body=body, category=category, channels=channels)
    findings = sorted(
        [*rules.findings, *guideline],
        key=lambda f: (f.field != "title", f.start if f.start is not None else -1, f.rule),
    )
    return Verdict(findings=findings, decision=decide(findings))


def assess_post(post) -> Verdict:
    return assess(
        title=post.title,
        body=post.body,
        category=post.category,
        channels=list(post.channels.all()),
        author=post.author,
        images=[(image.name, image.alt_text) for image in post.images.all()],
    )


def record_assessment(post) -> Assessment:
    verdict = assess_post(post)
    return Assessment.objects.create(
        post=post,
        content_digest=post.content_digest(),
        decision=verdict.decision.value,
        findings=[f.as_dict() for f in verdict.findings],
    )
