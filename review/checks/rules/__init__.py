"""The rules of the engine, one per kind of finding, registered in RULES by rule id."""

from . import (  # noqa: F401  (importing a module registers its rules)
    accessibility,
    authorization,
    investigation,
    language,
    markings,
    personal,
    privacy,
    reputation,
    safety,
)
from .base import CLAUSES, RULES, Hit, Rule

__all__ = ["CLAUSES", "RULES", "Hit", "Rule"]
