"""Fixtures of the 702.5 checks' tests."""

import pytest

from review.checks.config import default_config


@pytest.fixture
def config():
    """The shipped defaults, with no database: the rule tests need none."""
    return default_config()


@pytest.fixture
def run(config):
    """check() on a body (and optional title) with the shipped defaults."""
    from review.checks.engine import check

    def run_check(body, title="", category="announcement", **kwargs):
        return check(
            title=title, body=body, category=category, config=kwargs.pop("config", config), **kwargs
        )

    return run_check


def rules_of(result) -> set[str]:
    return {finding.rule for finding in result.findings}


def spans_of(result, text, rule=None) -> list[str]:
    """The original text under each finding's span (of `rule`, if given)."""
    return [
        text[f.start : f.end]
        for f in result.findings
        if f.start is not None and (rule is None or f.rule == rule)
    ]


@pytest.fixture
def configured(db):
    """The shipped defaults loaded into the database, and a fresh engine cache."""
    from review.checks.config import clear_cache
    from review.checks.defaults import load_default_configuration

    clear_cache()
    load_default_configuration()
    yield
    clear_cache()
