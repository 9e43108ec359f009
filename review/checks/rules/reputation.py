"""702.5(d): content that could damage the mission, function, reputation or professionalism of
the City: electioneering, commercial endorsement, personal opinions about people.

Neutral election information ("polls open at 7 AM", "register to vote") passes: only advocacy
for or against a candidate or a ballot measure is electioneering.
"""

import re
from functools import lru_cache

from django.conf import settings

from ..findings import Severity
from .base import Hit, Pattern, PatternSet, pattern, patterns, rule, scan_patterns

ELECTIONEERING = patterns(
    pattern(
        "vote",
        r"\bvote (?:yes|no)\b(?! (?:later|sooner|earlier|more|less)\b)",
        "advocacy on a ballot measure",
    ),
    pattern(
        "measure|prop|proposition|question|issue|initiative|ballot|levy|bond|recall",
        r"\b(?:yes|no) on (?:measure|prop(?:osition)?|question|issue|initiative|ballot measure|the (?:levy|bond|measure|recall))\b",
        "advocacy on a ballot measure",
    ),
    pattern("elect|reelect", r"\bre-?elect\b", "campaigning for a candidate"),
    pattern(
        "measure|prop|proposition|question|ballot|initiative|levy|bond|recall",
        r"\b(?:support|oppose|defeat|vote down) (?:measure|prop(?:osition)?|question|ballot measure|initiative|the (?:levy|bond measure|ballot measure|measure|recall))\b",
        "advocacy on a ballot measure",
    ),
    pattern(
        "candidate",
        r"\b(?:best|only|right|strongest|better) candidate\b|\bcandidate (?:who )?(?:deserves|will fix|we need|we trust)\b",
        "advocacy for a candidate",
    ),
    pattern(
        "endorse|endorses|endorsed",
        r"\b(?:we|i|the city) (?:proudly |officially )?endorses?\b|\bendorse[sd]? (?:candidate|[a-z]+ for (?:mayor|council|governor|sheriff))\b",
        "endorsement of a candidate",
    ),
    pattern(
        "next",
        r"\bour next (?:mayor|governor|senator|sheriff|council(?:member|man|woman|or)?|commissioner|president|representative)\b",
        "campaigning for a candidate",
    ),
    pattern(
        "#",
        r"#(?:yeson|noon|reelect|elect)[a-z0-9]+|#vote(?:yes|no|for)[a-z0-9]*",
        "a campaign hashtag",
    ),
    pattern("paid", r"\bpaid for by\b", "a campaign disclaimer"),
    pattern(
        "office|hall|council|congress|statehouse",
        r"\b(?:keep|put|send) (?:[a-z.']+ ){1,3}(?:in|to|back to|into) (?:office|city hall|the council|congress|the statehouse)\b",
        "campaigning for a candidate",
    ),
    pattern(
        "campaign",
        r"\b(?:donate|contribute|give) to (?:the |my |our |his |her )?(?:re-?election )?campaign\b|\bcampaign (?:rally|donations?|contributions?|fundraiser|headquarters|volunteers?|yard signs?)\b",
        "campaign fundraising or organizing",
    ),
    pattern(
        "vote|republicans|democrats",
        r"\bvote (?:republican|democrat(?:ic)?|gop|blue|red)\b|\b(?:republicans|democrats) (?:are|will ruin|have ruined)\b",
        "partisan advocacy",
    ),
)
VOTE_FOR = re.compile(
    r"\b(?i:vote\s+(?:for|against)|elect)\s+(?P<whom>[A-Z][\w'’.-]*|(?i:me|him|her|them|us|measure|prop(?:osition)?|question|the (?:levy|bond|measure)))"
)

ENDORSEMENT = patterns(
    pattern(
        "best|greatest|tastiest|finest|yummiest",
        r"\b(?:best|greatest|tastiest|finest|yummiest) (?:[a-z'&-]+ ){0,3}(?:in town|in the city|in the county|in the state|around here|ever|in {city})\b",
        "praise of a business",
    ),
    pattern(
        "code",
        r"\b(?:promo|coupon|discount|referral) code\b|\buse (?:the )?code [a-z0-9]+\b",
        "a promotion code",
    ),
    pattern("%|$", r"\b\d{1,2}% off\b|\$\d+ off\b", "a commercial discount"),
    pattern("bogo|buy", r"\bbogo\b|\bbuy one,? get one\b", "a commercial offer"),
    pattern(
        "recommend",
        r"\b(?:we|i) (?:highly |strongly |totally |really )?recommend (?:[a-z'&]+ ){0,2}(?:restaurant|cafe|bakery|brewery|bar|shop|store|dealership|plumber|plumbing|contractor|salon|gym|realtor|pizzeria|diner|taqueria|food truck|grill)\b",
        "a recommendation of a business",
    ),
    pattern(
        "favorite|favourite",
        r"\b(?:our|my) (?:new )?favou?rite (?:restaurant|bar|brewery|coffee shop|coffee|cafe|bakery|taqueria|pizza place|pizza|burgers?|tacos|store|shop|food truck|dealership|lunch spot|spot)\b",
        "praise of a business",
    ),
    pattern(
        "#ad|#sponsored|sponsored|affiliate|partnership",
        r"#ad\b|#sponsored\b|\bsponsored post\b|\baffiliate link\b|\bpaid partnership\b",
        "a paid promotion",
    ),
    pattern(
        "tell|regret|check",
        r"\btell them (?:we|the city) sent you\b|\byou won'?t regret it\b|\bgo check out (?:[a-z'&]+ )?[a-z]+'s\b",
        "an endorsement of a business",
    ),
    pattern("now", r"\b(?:order|buy|shop) now\b", "a sales pitch"),
)
PATRONISE = re.compile(
    r"\b(?i:(?:shop|eat|dine|order|buy|get yours)\s+(?:at|from)|(?:we|i)\s+(?:highly\s+)?recommend)"
    r"\s+(?P<business>[A-Z][\w'’&-]+)"
)

OPINION = patterns(
    pattern(
        "idiot|idiots|moron|morons|imbecile|imbeciles|incompetent|clown|clowns|liar|liars|fool|fools|disgrace|embarrassment|crook|crooks|corrupt|useless|lazy|stupid|dumb|pathetic|hypocrite|hypocrites|joke|clueless|jerk|jerks|nutjob|nutjobs",
        r"\b(?:is|are|was|were|be|being) (?:an? |such an? |a total |a complete |totally |completely |so |really |just |the )?(?:idiots?|morons?|imbeciles?|incompetent|clowns?|liars?|fools?|a disgrace|an embarrassment|crooks?|corrupt|useless|lazy|stupid|dumb|pathetic|hypocrites?|a joke|clueless|jerks?|nutjobs?)\b",
        "a personal opinion about people",
    ),
    pattern(
        "incompetent|incompetence|idiot|idiots|moron|morons|imbecile|imbeciles",
        r"\b(?:incompetent|incompetence|idiots?|morons?|imbeciles?)\b",
        "a personal opinion about people",
    ),
    pattern(
        "worst",
        r"\bworst (?:mayor|governor|council\w*|chief|director|manager|commissioner|senator|president|boss|neighbou?r|employee|officer|cop|judge|sheriff)s?\b",
        "a personal opinion about people",
    ),
    pattern(
        "resign|fired|step|recalled",
        r"\b(?:should|needs to|need to|ought to|must) (?:resign|be fired|step down|be recalled)\b",
        "a personal opinion about people",
    ),
    pattern("job", r"\bcan'?t do (?:his|her|their) jobs?\b", "a personal opinion about people"),
    pattern("shame", r"\bshame on\b", "a personal opinion about people"),
    pattern(
        "doing",
        r"\b(?:doesn'?t|don'?t|does not|do not) know what (?:they|he|she|it)(?:'re| are|'s| is) doing\b",
        "a personal opinion about people",
    ),
    pattern(
        "opinion|personally|ask|imho",
        r"\bin my (?:personal |humble )?opinion\b|\bi personally (?:think|believe|feel)\b|\bif you ask me\b|\bimho\b",
        "a personal opinion",
    ),
)
NOT_A_BUSINESS = {
    "The",
    "City",
    "Our",
    "Your",
    "Local",
    "Home",
    "Riverton",
    "A",
    "Any",
    "Every",
    "This",
}


@lru_cache(maxsize=8)
def endorsement_patterns(city: str) -> PatternSet:
    return PatternSet(
        Pattern(
            p.cue_words,
            p.cue_strings,
            re.compile(p.regex.pattern.replace("{city}", re.escape(city))),
            p.detail,
        )
        for p in ENDORSEMENT
    )


@lru_cache(maxsize=1)
def city_word() -> str:
    words = re.findall(r"[A-Za-z]+", settings.CITY_NAME)
    return (words[-1] if words else "town").lower()


@rule(
    "702.5(d)/electioneering",
    Severity.NEEDS_SUPERVISOR,
    "Electioneering: advocacy for candidates or ballot measures",
    phrase_based=True,
)
def electioneering(field, config):
    yield from scan_patterns(field, ELECTIONEERING)
    if not field.words.isdisjoint({"vote", "elect", "against"}):
        city = city_word()
        for m in VOTE_FOR.finditer(field.text):
            if m.group("whom").lower().strip("'’.") not in (city, f"{city}'s"):
                yield Hit(m.start(), m.end(), "campaigning for a candidate or ballot measure")


@rule(
    "702.5(d)/endorsement",
    Severity.NEEDS_SUPERVISOR,
    "Endorsement of commercial products or businesses",
    phrase_based=True,
)
def commercial_endorsement(field, config):
    yield from scan_patterns(field, endorsement_patterns(city_word()))
    fold = field.folded.fold
    if any(
        cue in fold for cue in ("shop", "eat ", "dine", "order", "buy", "get yours", "recommend")
    ):
        for m in PATRONISE.finditer(field.text):
            business = m.group("business").rstrip("'’")
            if business not in NOT_A_BUSINESS and business.lower() != city_word():
                yield Hit(m.start(), m.end(), "an endorsement of a business")


@rule(
    "702.5(d)/personal-opinion",
    Severity.NEEDS_SUPERVISOR,
    "Personal opinions about people",
    phrase_based=True,
)
def personal_opinions(field, config):
    return scan_patterns(field, OPINION, skip_quotes=True)
