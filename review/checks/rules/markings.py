"""Confidential markings: text marked for restricted use must never be posted (BLOCK).

A marking belongs to the clause of what it protects: personal confidentiality 702.5(b),
criminal justice information 702.5(c), internal operations 702.5(e). "Kept confidential" and
"confidential tip line" are allowed phrases, not markings.
"""

from ..findings import Severity
from .base import pattern, patterns, rule, scan_patterns

LAW_ENFORCEMENT = patterns(
    pattern(
        "fouo|f.o.u.o|official|cjis|ncic|enforcement|sensitive|leo|criminal|eyes",
        r"\bf\.?o\.?u\.?o\b|\bfor official use only\b|\bcjis\b|\bncic\b|\blaw enforcement sensitive\b|\ble sensitive\b|\bfor law enforcement (?:use )?only\b|\bleo only\b|\bcriminal justice information\b|\bsensitive but unclassified\b|\bpolice eyes only\b",
        "a law enforcement restricted marking",
    ),
)
CONFIDENTIAL = patterns(
    pattern(
        "confidential|privileged|privilege|pii",
        r"\b(?:strictly |highly |privileged and )?confidential\b|\battorney[- ]client privileged?\b|\bcontains pii\b",
        "a confidential marking",
    ),
)
INTERNAL = patterns(
    pattern(
        "internal",
        r"\binternal (?:use )?only\b|\bfor internal (?:use|distribution|review)\b",
        "an internal-only marking",
    ),
    pattern(
        "distribute|forward|disseminate|publish|copy",
        r"\bdo not (?:distribute|forward|disseminate|publish|copy)\b",
        "an internal-only marking",
    ),
    pattern(
        "release|distribution|publication|dissemination",
        r"\bnot for (?:public )?(?:release|distribution|publication|dissemination)\b",
        "an internal-only marking",
    ),
    pattern(
        "released|distributed|shared|published",
        r"\bnot to be (?:released|distributed|shared|published)\b",
        "an internal-only marking",
    ),
    pattern(
        "eyes|know|restricted",
        r"(?<!police )\beyes only\b|\bneed[- ]to[- ]know\b|\brestricted distribution\b",
        "an internal-only marking",
    ),
)


@rule(
    "702.5(b)/confidential-marking", Severity.BLOCK, 'Text marked "confidential"', phrase_based=True
)
def confidential_markings(field, config):
    return scan_patterns(field, CONFIDENTIAL)


@rule(
    "702.5(c)/law-enforcement-marking",
    Severity.BLOCK,
    "FOUO, CJIS, NCIC and law enforcement sensitive markings",
    phrase_based=True,
)
def law_enforcement_markings(field, config):
    return scan_patterns(field, LAW_ENFORCEMENT)


@rule(
    "702.5(e)/internal-marking",
    Severity.BLOCK,
    '"Internal only", "do not distribute" and similar markings',
    phrase_based=True,
)
def internal_markings(field, config):
    return scan_patterns(field, INTERNAL)
