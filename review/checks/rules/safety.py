"""702.5(e): information that could compromise the safety and security of city operations,
employees or the public."""

from ..findings import Severity
from .base import Hit, pattern, patterns, rule, scan_patterns
from .contacts import find_contacts

TACTICAL = patterns(
    # Law enforcement positions only: Public Works crews "staged at the yard" for a storm are not tactics.
    pattern(
        "staged|staging|positioned|posted|stationed|deployed|hiding|waiting",
        r"\b(?:officers|deputies|police units|units|troopers|swat|tactical (?:team|units?)|snipers?|k-?9 units?|agents)\s+(?:are |is |have been |were |will be )?(?:staged|staging|positioned|posted|stationed|deployed|hiding|waiting|in position)\s+(?:at|on|in|near|behind|along|around|outside|inside|by)\b",
        "tactical positions during an active incident",
    ),
    pattern(
        "staging",
        r"\bstaging (?:area|point|location) (?:is |will be |has been )?(?:set up )?(?:at|on|in|near|behind)\b",
        "a staging area during an active incident",
    ),
    pattern(
        "swat",
        r"\bswat (?:team |officers |units )?(?:is |are |has |have )?(?:positioned|staged|in position|moving in|entering|deployed|surrounding|on the roof|at the back)\b",
        "tactical positions during an active incident",
    ),
    pattern(
        "perimeter",
        r"\bperimeter (?:is |has been |was )?(?:set up |established |set )?(?:at|on|along|around|from|between)\b",
        "the perimeter of an active incident",
    ),
    pattern(
        "team|teams|sniper|snipers",
        r"\b(?:entry|breach|assault) teams?\b|\bsnipers? (?:on|at|in|are|is)\b",
        "tactical positions during an active incident",
    ),
    pattern(
        "post|cp",
        r"\b(?:command post|cp) (?:is |has been |was )?(?:set up |established )?(?:at|on|in|behind)\b",
        "the command post of an active incident",
    ),
    pattern(
        "unmarked|undercover|plainclothes",
        r"\b(?:unmarked (?:cars?|vehicles?|units?)|undercover (?:officers?|units?|detectives?)|plainclothes (?:officers?|units?|detectives?))\b",
        "undercover or unmarked units",
    ),
    pattern(
        "moving|move|going|raid|entry|warrant",
        r"\b(?:officers|units|swat|teams?) (?:will be |are |will )?(?:moving|move|going) in at\b|\b(?:raid|entry|warrant service) (?:is |will be )?(?:planned |scheduled |set )?(?:for|at) \d",
        "the timing of a tactical operation",
    ),
)
ACCESS_CODES = patterns(
    pattern(
        "code|codes|combination|combinations|combo|combos|pin|pins|passcode|passcodes",
        r"\b(?:door|gate|alarm|keypad|access|entry|lockbox|lock box|key box|garage|building|elevator|padlock|locker|safe|vault|side door|back door|front door|cipher lock)\s+(?:code|combination|combo|pin|passcode)s?\b[^.\n]{0,50}?\d{3,}",
        "an access code",
    ),
    pattern(
        "code",
        r"\bcode (?:to|for) the (?:[a-z]+ ){0,2}(?:door|gate|building|garage|room|lockbox|station|office|alarm)\b[^.\n]{0,25}?\d{3,}",
        "an access code",
    ),
    pattern(
        "password|passcode|passwd|pwd|pin|login|credentials",
        r"\b(?:password|passcode|passwd|pwd|pin|pin number|login|credentials|username and password)(?: for [a-z0-9' -]{1,40}?)?\s*(?:is|are|was|:|=|-)\s*(?:(?=\S*\d)\S{3,}|[\"'][^\"'\s]{3,}[\"'])",
        "a password or PIN",
    ),
    pattern("combination", r"\bcombination (?:is|:)\s*\d", "a lock combination"),
    # Any code, combo or PIN given as digits, except the public kinds of code.
    pattern(
        "code|combo|combination|pin|passcode",
        r"(?<!zip )(?<!area )(?<!postal )(?<!country )\b(?:combo|combination|code|passcode|pin)\s+(?:is|was|:|=)\s*\d[\d-]{2,}",
        "an access code",
    ),
)
PHONE_TREES = patterns(
    pattern(
        "tree|trees|roster|rosters|chain|chains|list|lists",
        r"\b(?:phone|call|calling|notification|call-?out|callout|emergency contact) (?:tree|roster|chain)s?\b|\b(?:call-?out|callout|recall) (?:list|roster)s?\b",
        "an internal phone tree",
    ),
    pattern(
        "internal",
        r"\binternal (?:phone|extension|line|directory|number|contact list)s?\b",
        "internal phone numbers",
    ),
    pattern(
        "direct|private|unlisted|back",
        r"\b(?:direct|private|unlisted|back) (?:line|extension|number|cell)s? (?:for|of|to) (?:the )?(?:chief|mayor|director|sergeant|captain|lieutenant|commander|commissioner|manager|supervisor|dispatch|watch commander)\b",
        "internal phone numbers",
    ),
    pattern(
        "call", r"\bon[- ]call (?:list|roster|phone numbers?|cell)\b", "an internal on-call list"
    ),
    pattern(
        "cell|mobile",
        r"\b(?:staff|employee|officer|crew|supervisor)s?'? (?:cell|mobile|personal) (?:numbers|phones|list)\b",
        "employees' personal phone numbers",
    ),
)
SECURITY_SCHEDULES = patterns(
    pattern(
        "alarm|alarms",
        r"\balarms? (?:system )?(?:is |are |will be |goes |stays |gets )?(?:off|disarmed|disabled|deactivated|not set|offline|turned off)\b",
        "a security schedule",
    ),
    pattern(
        "camera|cameras|cctv|surveillance|video",
        r"\b(?:cameras?|cctv|surveillance(?: system)?|video (?:system|surveillance))(?: [a-z'-]+){0,5}? (?:is|are|was|were|has been|have been|will be|go|goes|stays?|stay) (?:off|down|offline|not recording|disabled|out of service|turned off)\b",
        "a security gap",
    ),
    pattern(
        "duty|site|patrol|present|watching|building",
        r"\bno (?:security |armed )?(?:guards?|security|officers?|patrols?|one|staff) (?:is |are |will be )?(?:on duty|on site|on patrol|present|watching|in the building)\b",
        "a security gap",
    ),
    pattern(
        "rotation|schedule|shift|coverage",
        r"\b(?:guard|security|patrol) (?:rotation|schedule|shift changes?|coverage gaps?)\b|\bshift change (?:is |happens |occurs )?(?:at|between)\b",
        "a security schedule",
    ),
    pattern(
        "unlocked|open|unguarded|unattended",
        r"\b(?:doors?|building|gates?|evidence room|armory|vault|server room|back entrance) (?:is |are |will be |stays? |remains? |gets )?(?:unlocked|left open|unguarded|unattended) (?:between|from|until|overnight|after|during|every|at)\b",
        "a security schedule",
    ),
    pattern(
        "unstaffed|unmanned",
        r"\b(?:unstaffed|unmanned) (?:between|from|overnight|after|until|every)\b",
        "a security schedule",
    ),
    pattern(
        "cash|deposit|money|armored",
        r"\b(?:cash|deposit|money|armored car) (?:pickups?|drops?|transfers?|runs?) (?:is |are |happens? )?(?:at|every|on|between)\b",
        "a cash-handling schedule",
    ),
    pattern(
        "patrol|patrols",
        r"\bpatrols? (?:are |is |will be )?(?:suspended|paused|reduced|cancelled|canceled|pulled)\b",
        "a security gap",
    ),
)


@rule(
    "702.5(e)/employee-contact", Severity.BLOCK, "Employees' home addresses and personal contacts"
)
def employee_contacts(field, config):
    details = {
        "phone": "an employee's personal phone number",
        "email": "an employee's personal e-mail address",
        "address": "an employee's home address",
    }
    for contact in find_contacts(field, config):
        if contact.owner == "employee":
            yield Hit(contact.start, contact.end, details[contact.kind])


@rule(
    "702.5(e)/tactical",
    Severity.BLOCK,
    "Tactical positions and staging areas in an active incident",
    phrase_based=True,
)
def tactical_positions(field, config):
    return scan_patterns(field, TACTICAL)


@rule("702.5(e)/access-code", Severity.BLOCK, "Door codes, passwords and PINs", phrase_based=True)
def access_codes(field, config):
    return scan_patterns(field, ACCESS_CODES)


@rule(
    "702.5(e)/phone-tree",
    Severity.BLOCK,
    "Internal phone trees and direct lines",
    phrase_based=True,
)
def phone_trees(field, config):
    return scan_patterns(field, PHONE_TREES)


@rule(
    "702.5(e)/security-schedule", Severity.BLOCK, "Security schedules and gaps", phrase_based=True
)
def security_schedules(field, config):
    return scan_patterns(field, SECURITY_SCHEDULES)
