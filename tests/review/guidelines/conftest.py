import pytest


@pytest.fixture
def guidelines(db):
    """The default guidelines of the eight categories, as a new city starts with them."""
    from review.guideline_defaults import load_default_guidelines
    from review.guideline_models import Guideline

    load_default_guidelines()
    return {g.category: g for g in Guideline.objects.all()}
