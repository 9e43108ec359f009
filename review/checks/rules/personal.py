"""702.5(f): content posted for personal use.

City accounts speak as "we". First-person words about one's own life, personal accounts and
links, and link shorteners that hide where a link goes are personal use. Quotations (a media
release quoting the Chief) are not the author speaking, so they are skipped.
"""

import re

from ..findings import Severity
from .base import Hit, pattern, patterns, rule, scan_patterns

PERSONAL_CONTENT = patterns(
    pattern(
        "my",
        r"\bmy (?:own )?(?:vacation|holiday|trip|honeymoon|kids?|kid's|son|daughter|children|wife|husband|spouse|boyfriend|girlfriend|fianc[eé]e?|mom|mother|dad|father|parents|brother|sister|family|baby|grandma|grandpa|grandkids?|dog|cat|puppy|pet|birthday|anniversary|wedding|weekend|band|church|garage sale|yard sale|side hustle|small business|lunch|breakfast|dinner|workout|gym|fantasy (?:team|league)|car|house|apartment|neighbou?r|friends?|book club|day off|last day|retirement party|nephew|niece|cousin|uncle|aunt)\b",
        "first-person personal content",
    ),
    pattern(
        "tired|exhausted|bored|hungover|hungry|sick|vacation|off|heading|going|stuck|excited|proud",
        r"\b(?:i'm|i am|im) (?:so |soo+ |really )?(?:tired|exhausted|bored|hungover|hungry|sick of|on vacation|off today|heading out|going home|stuck in traffic|excited for my|proud of my)\b",
        "first-person personal content",
    ),
    pattern(
        "birthday|anniversary|me|love|hate",
        r"\bhappy (?:birthday|anniversary) to (?:my|me)\b|\bme and my\b|\b(?:i|we) (?:love|hate) my\b|\bi hate (?:mondays|my|this)\b",
        "first-person personal content",
    ),
    pattern(
        "selfie", r"\b(?:my|a) selfie\b|\bselfie (?:of|with) me\b", "first-person personal content"
    ),
)
PERSONAL_ACCOUNTS = patterns(
    pattern(
        "me",
        r"\b(?:follow|subscribe to|add|friend|find|dm|message|text|call) me (?:on|at|@)\b",
        "a personal account",
    ),
    pattern(
        "my",
        r"\b(?:follow|subscribe to|check out|like|visit|support) my (?:personal |new |other )?(?:account|page|profile|instagram|insta|twitter|tiktok|youtube|channel|blog|podcast|facebook|snapchat|twitch|site|website|store|etsy|gofundme|fundraiser|business)\b",
        "a personal account",
    ),
    pattern(
        "personal",
        r"\bmy personal (?:account|page|profile|instagram|twitter|tiktok|facebook|handle|e-?mail|number|cell|phone|site|website)\b",
        "a personal account",
    ),
    pattern("me", r"\b(?:dm|text|call|e-?mail|message) me\b", "a personal contact"),
    pattern(
        "venmo|cash|cashapp|paypal|gofundme|patreon|linktr|ko|onlyfans",
        r"\b(?:venmo|cash ?app|cash\.app|paypal\.me|gofundme|patreon|linktr\.ee|ko-fi|onlyfans)\b",
        "a personal payment or link page",
    ),
)
SHORTENERS = (
    "bit.ly", "tinyurl.com", "goo.gl", "ow.ly", "t.co", "is.gd", "buff.ly", "rebrand.ly",
    "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy", "bl.ink", "t.ly", "s.id", "v.gd", "lnkd.in",
    "shorturl.com", "bitly.com", "tiny.one",
)  # fmt: skip
SHORT_LINK = re.compile(
    r"(?<![\w.@-])(?:https?://)?(?:www\.)?(?P<domain>"
    + "|".join(re.escape(d) for d in SHORTENERS)
    + r")/[\w/-]+"
)
HANDLE = re.compile(r"(?<![\w@.])@(?P<handle>[A-Za-z0-9_]{2,30})\b(?!\.\w)")
HANDLE_CUE = re.compile(
    r"\b(?:follow|my|me|dm|add|find|check out|subscribe to|account|page|handle|profile)\b\W*$"
)


@rule(
    "702.5(f)/personal-content",
    Severity.NEEDS_SUPERVISOR,
    "First-person personal content",
    phrase_based=True,
)
def personal_content(field, config):
    return scan_patterns(field, PERSONAL_CONTENT, skip_quotes=True)


@rule(
    "702.5(f)/personal-account",
    Severity.NEEDS_SUPERVISOR,
    "Personal accounts, handles and links",
    phrase_based=True,
)
def personal_accounts(field, config):
    yield from scan_patterns(field, PERSONAL_ACCOUNTS, skip_quotes=True)
    if "@" in field.text:
        for m in HANDLE.finditer(field.text):
            before = field.text[max(0, m.start() - 30) : m.start()].lower()
            known = m.group("handle").lower() in config.contacts.handles
            if not known and HANDLE_CUE.search(before):
                yield Hit(m.start(), m.end(), "a personal social media handle")


@rule(
    "702.5(f)/link-shortener", Severity.NEEDS_SUPERVISOR, "Links through non-city link shorteners"
)
def link_shorteners(field, config):
    fold = field.folded.fold
    if "/" not in fold or not any(d in fold for d in SHORTENERS):
        return
    for m in SHORT_LINK.finditer(fold):
        if not config.contacts.allows_domain(m.group("domain")):
            start, end = field.folded.to_original(m.start(), m.end())
            yield Hit(start, end, "a link shortener that hides where the link goes")
