"""Who may do what: one declared table of every page and action, by role.

The views and models enforce these rules on the server; this table states
them once so the Mayor's office can read them (a page renders it) and a test
walks every URL of the project as every role and checks the table holds. A
URL missing from the table fails that test.
"""

from dataclasses import dataclass

ANONYMOUS = "Public (not signed in)"
STAFF = "Staff"
POSTER = "Authorized poster"
SUPERVISOR = "Supervisor"
MAYOR = "Mayor's office"
DESIGNEE = "Designee of the Mayor"
CLERK = "City Clerk"
IT = "IT"

ROLES = [ANONYMOUS, STAFF, POSTER, SUPERVISOR, MAYOR, DESIGNEE, CLERK, IT]
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS}
EVERYONE = frozenset(ROLES)
OVERSIGHT = frozenset({SUPERVISOR, MAYOR, CLERK})
# 702.4.1: a board names its internal sources and verifiers (Incident.may_be_seen_by).
INCIDENT_BOARDS = frozenset({POSTER, DESIGNEE, SUPERVISOR, MAYOR})
INCIDENT_BOARD_NOTE = (
    "its compilers, the Mayor's office, designees over its channels, supervisors, and "
    "employees authorized to post to its channels"
)
# Whoever the Mayor's office names to read a contact topic's inbox (702.5.1); in the demo city
# every persona but IT answers for one.
INBOX = frozenset({STAFF, POSTER, SUPERVISOR, MAYOR, DESIGNEE, CLERK})


@dataclass(frozen=True)
class Rule:
    url: str  # the URL's name
    action: str  # what a person does there, in plain words
    allowed: frozenset
    method: str = "GET"
    clause: str = ""
    note: str = ""  # a condition on the object, where one applies

    def allows(self, role: str) -> bool:
        return role in self.allowed


def rule(url, action, allowed, method="GET", clause="", note=""):
    return Rule(url, action, frozenset(allowed), method, clause, note)


TABLE: list[Rule] = [
    # The public city website (702.1.1, 702.5.1)
    rule("home", "Open the city website", EVERYONE),
    rule("news:index", "Read city news", EVERYONE, clause="702.2"),
    rule("news:item", "Read a news item", EVERYONE, clause="702.2"),
    rule(
        "news:image",
        "See a news item's image",
        EVERYONE,
        clause="702.2",
        note="only while the item is published on the website",
    ),
    rule("news:feed", "Subscribe to the news feed", EVERYONE, clause="702.2"),
    rule("news:incident", "Read an incident's updates", EVERYONE, clause="702.4.1"),
    rule("news:incident_feed", "Subscribe to an incident's feed", EVERYONE, clause="702.4.1"),
    rule("healthz", "Check the service is up", EVERYONE),
    # Contacting city employees (702.5.1)
    rule("contact:form", "Write to city staff", EVERYONE, clause="702.5.1"),
    rule(
        "contact:sent",
        "See the confirmation and reference number of one's message",
        EVERYONE,
        clause="702.5.1",
        note="with the signed link the page gives, for a day",
    ),
    rule(
        "contact:inbox",
        "Read the messages from the public to one's topics",
        INBOX,
        clause="702.5.1",
        note="inbox members named by the Mayor's office; only their topics' messages",
    ),
    rule(
        "contact:message",
        "Read a message from the public",
        INBOX,
        clause="702.5.1",
        note="inbox members of the message's topic",
    ),
    rule(
        "contact:answer",
        "Record how a message was answered",
        INBOX,
        "POST",
        clause="702.5.1",
        note="inbox members of the message's topic; archived (702.7)",
    ),
    rule(
        "contact:assign",
        "Assign a message to a colleague of the inbox",
        INBOX,
        "POST",
        clause="702.5.1",
        note="inbox members of the message's topic",
    ),
    rule(
        "contact:move",
        "Move a message to the topic it belongs to",
        INBOX,
        "POST",
        clause="702.5.1",
        note="inbox members of the message's topic",
    ),
    rule(
        "contact:release",
        "Release a message held as possible spam",
        INBOX,
        "POST",
        clause="702.5.1",
        note="inbox members of the message's topic",
    ),
    rule("contact:topics", "See the contact page's topics", {MAYOR}, clause="702.5.1"),
    rule("contact:topic_new", "Add a contact topic", {MAYOR}, clause="702.5.1"),
    rule(
        "contact:topic_edit",
        "Change a contact topic: department, inbox members, e-mail",
        {MAYOR},
        clause="702.5.1",
    ),
    # Signing in
    rule("login", "Sign in", EVERYONE),
    rule("logout", "Sign out", EVERYONE, method="POST"),
    rule("two_factor_setup", "Set up two-factor sign-in", SIGNED_IN),
    rule("two_factor_verify", "Enter a two-factor code", SIGNED_IN),
    rule("dashboard", "See one's dashboard", SIGNED_IN),
    # Authorizations and designees (702.3)
    rule(
        "accounts:authorizations",
        "See who is authorized to post",
        {MAYOR, DESIGNEE},
        clause="702.3",
    ),
    rule(
        "accounts:authorization",
        "See one authorization and its history; revoke it",
        {MAYOR, DESIGNEE},
        clause="702.3",
        note="a designee revokes only within scope",
    ),
    rule(
        "accounts:authorization_new",
        "Authorize an employee",
        {MAYOR, DESIGNEE},
        clause="702.3",
        note="a designee only within scope; training must be current (702.8)",
    ),
    rule("accounts:designations", "See the Mayor's designees", {MAYOR}, clause="702.3"),
    rule("accounts:designation_new", "Name a designee", {MAYOR}, clause="702.3"),
    rule("accounts:designation_revoke", "Revoke a designation", {MAYOR}, "POST", clause="702.3"),
    rule("accounts:org_chart", "See the org chart", {MAYOR}, clause="702.3"),
    rule("accounts:org_chart_edit", "Change a department or supervisor", {MAYOR}, clause="702.3"),
    # City-approved equipment (702.3)
    rule("accounts:equipment", "Enroll one's device", SIGNED_IN, clause="702.3"),
    rule("accounts:equipment_register", "See city equipment", {MAYOR, IT}, clause="702.3"),
    rule(
        "accounts:equipment_decide",
        "Approve, decline or revoke a device",
        {MAYOR, IT},
        "POST",
        clause="702.3",
    ),
    rule(
        "accounts:equipment_exceptions",
        "Grant an employee an equipment exception",
        {SUPERVISOR},
        clause="702.3",
        note="only for one's own employees",
    ),
    rule(
        "accounts:equipment_exception_end",
        "End an equipment exception",
        {SUPERVISOR, MAYOR},
        "POST",
        clause="702.3",
        note="the supervisor who granted it",
    ),
    # Posts (702.3, 702.4)
    rule("posting:mine", "See one's posts", SIGNED_IN),
    rule(
        "posting:new",
        "Write a post",
        SIGNED_IN,
        clause="702.3",
        note="only channels one is authorized for are offered",
    ),
    rule("posting:counts", "Count characters per channel", SIGNED_IN, "POST"),
    rule(
        "posting:detail",
        "See a post and its timeline",
        {POSTER, DESIGNEE} | OVERSIGHT,
        note="its author, oversight, or a designee whose scope covers it",
    ),
    rule(
        "posting:status",
        "See a post's delivery",
        {POSTER, DESIGNEE} | OVERSIGHT,
        note="its author, oversight, or a designee whose scope covers it",
    ),
    rule(
        "posting:image",
        "See a post's image",
        {POSTER, DESIGNEE} | OVERSIGHT,
        note="its author, oversight, or a designee whose scope covers it",
    ),
    rule("posting:edit", "Edit a post", {POSTER}, note="its author"),
    rule(
        "posting:submit",
        "Submit a post for approval",
        {POSTER},
        "POST",
        clause="702.4",
        note="its author, from city equipment",
    ),
    rule(
        "posting:withdraw",
        "Withdraw a post",
        {POSTER, SUPERVISOR},
        "POST",
        note="its author or a supervisor",
    ),
    rule(
        "posting:retry",
        "Retry failed channels",
        {POSTER, SUPERVISOR},
        "POST",
        note="its author or a supervisor",
    ),
    # Scheduled posts, in the city's time zone
    rule(
        "posting:scheduled",
        "See the scheduled posts by day, in city time",
        SIGNED_IN,
        note="one's own; supervisors also their team's and their queue; the Mayor's office all",
    ),
    rule(
        "posting:reschedule",
        "Move a post to another time until it goes out",
        {POSTER, SUPERVISOR},
        "POST",
        note="its author or a supervisor; an approval still applies",
    ),
    rule(
        "posting:cancel_schedule",
        "Take a post off the schedule (back to draft) until it goes out",
        {POSTER, SUPERVISOR},
        "POST",
        note="its author or a supervisor; an approval no longer applies",
    ),
    rule(
        "posting:resolve",
        "Say whether a post reached a channel whose answer was lost",
        {POSTER, SUPERVISOR, MAYOR},
        "POST",
        note="its author, a supervisor, the channel's owner or the Mayor's office",
    ),
    # Take-down: removal from public view (702.5)
    rule(
        "posting:take_down",
        "Take a post down from every channel, saying why; follow its removal",
        {SUPERVISOR, MAYOR, DESIGNEE},
        clause="702.5",
        note="a designee within the designation's scope",
    ),
    rule(
        "posting:take_down_retry",
        "Try a failed removal again",
        {SUPERVISOR, MAYOR, DESIGNEE},
        "POST",
        clause="702.5",
        note="a designee within the designation's scope",
    ),
    rule(
        "posting:take_down_by_hand",
        "Confirm a post was removed by hand on its platform",
        {SUPERVISOR, MAYOR, DESIGNEE},
        "POST",
        clause="702.5",
        note="a designee within the designation's scope",
    ),
    # Reports of content: report, remove or dismiss, investigate (702.5)
    rule(
        "reports:new",
        "Report content seen on a city channel, by its link",
        SIGNED_IN,
        clause="702.5",
    ),
    rule(
        "reports:post",
        "Report a post from its page",
        {POSTER, DESIGNEE} | OVERSIGHT,
        clause="702.5",
        note="any employee once the post has gone out; before, whoever may see it",
    ),
    rule(
        "reports:mine", "See the reports one made and where they stand", SIGNED_IN, clause="702.5"
    ),
    rule(
        "reports:queue",
        "See the reports of content sent to one",
        {SUPERVISOR, MAYOR},
        clause="702.5",
        note="a supervisor the reports sent to them; the Mayor's office every report",
    ),
    rule(
        "reports:detail",
        "See a report, the content as archived, its decision and investigation",
        {SUPERVISOR, MAYOR},
        clause="702.5",
        note="the supervisor it was sent to, or the Mayor's office",
    ),
    rule(
        "reports:remove",
        "Remove reported content from public view on every channel",
        {SUPERVISOR, MAYOR},
        "POST",
        clause="702.5",
        note="the supervisor it was sent to, or the Mayor's office; never the post's author",
    ),
    rule(
        "reports:dismiss",
        "Dismiss a report, with reasons",
        {SUPERVISOR, MAYOR},
        "POST",
        clause="702.5",
        note="the supervisor it was sent to, or the Mayor's office; never the post's author",
    ),
    rule(
        "reports:investigation",
        "Record and close the investigation of the cause",
        {SUPERVISOR, MAYOR},
        "POST",
        clause="702.5",
        note="the supervisor it was sent to, or the Mayor's office; never the post's author",
    ),
    # Emergency stop (702.4.1; recorded under 702.7)
    rule(
        "posting:emergency",
        "See the emergency stops in force and every stop so far",
        {MAYOR, DESIGNEE},
        clause="702.4.1",
    ),
    rule(
        "posting:emergency_start",
        "Stop all scheduled and queued posts, on every channel or one",
        {MAYOR, DESIGNEE},
        "POST",
        clause="702.4.1",
        note="a designee only within the channels of the designation",
    ),
    rule(
        "posting:emergency_resume",
        "Resume publishing after an emergency stop",
        {MAYOR, DESIGNEE},
        "POST",
        clause="702.4.1",
        note="a designee only within the channels of the designation",
    ),
    # Incidents: the Mayor or the designee compiles what is released (702.4.1)
    rule(
        "posting:incidents",
        "See the open and closed incidents",
        INCIDENT_BOARDS,
        clause="702.4.1",
        note="each sees the incidents whose boards are for them",
    ),
    rule("posting:incident_new", "Open an incident", {MAYOR, DESIGNEE}, clause="702.4.1"),
    rule(
        "posting:incident",
        "See an incident's board: its updates, deliveries, proposals and cadence",
        INCIDENT_BOARDS,
        clause="702.4.1",
        note=INCIDENT_BOARD_NOTE,
    ),
    rule(
        "posting:incident_live",
        "Follow an incident's board live",
        INCIDENT_BOARDS,
        clause="702.4.1",
        note=INCIDENT_BOARD_NOTE,
    ),
    rule(
        "posting:incident_publish",
        "Publish an update to every channel of an incident",
        {POSTER},
        "POST",
        clause="702.4.1",
        note="its compilers only; from city equipment",
    ),
    rule(
        "posting:incident_propose",
        "Propose an update to an incident's compilers",
        {POSTER, SUPERVISOR},
        "POST",
        clause="702.4.1",
        note="employees authorized to post to its channels (702.3)",
    ),
    rule(
        "posting:incident_accept",
        "Publish a proposed update",
        {POSTER},
        "POST",
        clause="702.4.1",
        note="its compilers only",
    ),
    rule(
        "posting:incident_decline",
        "Decline a proposed update",
        {POSTER},
        "POST",
        clause="702.4.1",
        note="its compilers only",
    ),
    rule(
        "posting:incident_correct",
        "Correct an update (a new update that supersedes it)",
        {POSTER},
        clause="702.4.1",
        note="its compilers only",
    ),
    rule(
        "posting:incident_compilers",
        "Appoint or remove an incident's compilers",
        {MAYOR, DESIGNEE},
        "POST",
        clause="702.4.1",
        note="a designee only within the channels of the designation",
    ),
    rule(
        "posting:incident_settings",
        "Set an incident's status and update cadence",
        {MAYOR, DESIGNEE, POSTER},
        "POST",
        clause="702.4.1",
        note="the Mayor's office, the designee or a compiler",
    ),
    rule(
        "posting:incident_close",
        "Close an incident with a closing message",
        {POSTER},
        clause="702.4.1",
        note="its compilers only",
    ),
    rule(
        "posting:incident_after_action",
        "See an incident's after-action timeline",
        INCIDENT_BOARDS,
        clause="702.4.1",
        note=INCIDENT_BOARD_NOTE + "; the City Clerk reads it in the archive",
    ),
    rule(
        "posting:incident_after_action_csv",
        "Download an incident's after-action timeline",
        INCIDENT_BOARDS,
        clause="702.7",
        note=INCIDENT_BOARD_NOTE + "; the City Clerk reads it in the archive",
    ),
    # The city's channels
    rule("posting:channels", "See the city's channels", {MAYOR}, clause="702.5.1"),
    rule("posting:channel", "Enter a channel's credentials", {MAYOR}, clause="702.5.1"),
    rule("posting:channel_test", "Test a channel's connection", {MAYOR}, "POST"),
    # Requests through supervisory channels (702.3)
    rule("posting:requests", "See one's posting requests", SIGNED_IN, clause="702.3"),
    rule("posting:request_new", "Ask for a post", SIGNED_IN, clause="702.3"),
    rule(
        "posting:request",
        "See a request; forward or decline it",
        {STAFF, SUPERVISOR},
        clause="702.3",
        note="its requester, their supervisor, the poster it went to",
    ),
    rule("posting:request_withdraw", "Withdraw a request", {STAFF}, "POST", note="its requester"),
    rule(
        "posting:request_attachment",
        "Download a request's attachment",
        {STAFF, SUPERVISOR},
        note="its requester, their supervisor, the poster it went to",
    ),
    # The Mayor's guidelines (702.3)
    rule(
        "guidelines:index",
        "Read what conforms to the Mayor's guidelines",
        SIGNED_IN,
        clause="702.3",
    ),
    rule("guidelines:try", "Try a pre-approved template", SIGNED_IN, clause="702.3"),
    rule(
        "guidelines:template_fill",
        "Fill a pre-approved template",
        SIGNED_IN,
        "POST",
        clause="702.3",
    ),
    rule("guidelines:manage", "See the guidelines' settings", {MAYOR}, clause="702.3"),
    rule("guidelines:edit", "Edit a guideline", {MAYOR}, clause="702.3"),
    rule("guidelines:history", "See a guideline's history", {MAYOR}, clause="702.3"),
    rule("guidelines:template_new", "Add a pre-approved template", {MAYOR}, clause="702.3"),
    rule("guidelines:template_edit", "Edit a pre-approved template", {MAYOR}, clause="702.3"),
    # The prohibited-content checks' configuration (702.5)
    rule("checks:index", "See the content checks' settings", {SUPERVISOR, MAYOR}, clause="702.5"),
    rule("checks:rules", "See and tune the rules", {MAYOR}, clause="702.5"),
    rule(
        "checks:rule_setting",
        "Turn a rule on or off, or change its severity",
        {MAYOR},
        "POST",
        clause="702.5",
    ),
    rule("checks:try", "Try the checks on a text", {SUPERVISOR, MAYOR}, clause="702.5"),
    rule(
        "checks:section",
        "See a list (lexicon, contacts, formats, watch list)",
        {SUPERVISOR, MAYOR},
        clause="702.5",
        note="supervisors: the confidential watch list only",
    ),
    rule(
        "checks:new",
        "Add to a list",
        {SUPERVISOR, MAYOR},
        clause="702.5",
        note="supervisors: the confidential watch list only",
    ),
    rule(
        "checks:edit",
        "Change a list entry",
        {SUPERVISOR, MAYOR},
        clause="702.5",
        note="supervisors: the confidential watch list only",
    ),
    rule(
        "checks:delete",
        "Remove a list entry",
        {SUPERVISOR, MAYOR},
        clause="702.5",
        note="supervisors: the confidential watch list only",
    ),
    # Approval (702.3)
    rule(
        "review:queue", "See posts waiting for one's approval", {SUPERVISOR, MAYOR}, clause="702.3"
    ),
    rule(
        "review:approve",
        "Approve a post",
        {SUPERVISOR},
        "POST",
        clause="702.3",
        note="never one's own post; from city equipment",
    ),
    rule(
        "review:decline",
        "Reject a post",
        {SUPERVISOR},
        "POST",
        clause="702.3",
        note="an approver at the post's current step; never one's own post",
    ),
    rule("review:chains", "See approval chains", {MAYOR}, clause="702.3"),
    rule("review:chain_new", "Create an approval chain", {MAYOR}, clause="702.3"),
    rule("review:chain", "Edit an approval chain", {MAYOR}, clause="702.3"),
    rule(
        "review:overrides",
        "See overrides of blocking findings",
        {SUPERVISOR, MAYOR},
        clause="702.6",
    ),
    rule(
        "review:reject",
        "Return a post to its author",
        {SUPERVISOR},
        "POST",
        clause="702.3",
        note="never one's own post",
    ),
    # The annual review (702.6)
    rule(
        "annual:index",
        "See the annual reviews of social media use",
        {SUPERVISOR, MAYOR},
        clause="702.6",
        note="supervisors: the reviews they were appointed to",
    ),
    rule(
        "annual:appoint",
        "Appoint the supervisor who reviews a period",
        {MAYOR},
        "POST",
        clause="702.6",
    ),
    rule(
        "annual:detail",
        "Read a review: its figures, charts and findings",
        {SUPERVISOR, MAYOR},
        clause="702.6",
        note="the appointed reviewer, or the Mayor's office",
    ),
    rule(
        "annual:findings",
        "Write a review's findings and recommendations",
        {SUPERVISOR},
        "POST",
        clause="702.6",
        note="the appointed reviewer, until signed off",
    ),
    rule(
        "annual:sign_off",
        "Sign a review off, freezing its figures",
        {SUPERVISOR},
        "POST",
        clause="702.6",
        note="the appointed reviewer only",
    ),
    rule(
        "annual:pdf",
        "Download a review as a PDF report for the Mayor",
        {SUPERVISOR, MAYOR},
        clause="702.6",
        note="the appointed reviewer, or the Mayor's office; a draft is marked so",
    ),
    # Public records (702.7)
    rule("retention:index", "Search the archive", OVERSIGHT, clause="702.7"),
    rule("retention:verify", "Verify the archive's chain", OVERSIGHT, clause="702.7"),
    rule(
        "retention:record",
        "See an archived record",
        OVERSIGHT | {POSTER},
        clause="702.7",
        note="oversight, or the post's author",
    ),
    rule("retention:series_list", "See the retention schedules", {CLERK, MAYOR}, clause="702.7"),
    rule(
        "retention:series", "See a retention series and its history", {CLERK, MAYOR}, clause="702.7"
    ),
    rule("retention:series_new", "Add a retention series", {CLERK}, clause="702.7"),
    rule("retention:series_edit", "Change a retention series", {CLERK}, clause="702.7"),
    rule("retention:holds", "See the legal holds", {CLERK, MAYOR}, clause="702.7"),
    rule("retention:hold", "See a legal hold and what it covers", {CLERK, MAYOR}, clause="702.7"),
    rule("retention:hold_new", "Place a legal hold", {CLERK}, clause="702.7"),
    rule("retention:hold_release", "Release a legal hold", {CLERK}, "POST", clause="702.7"),
    rule("retention:batches", "See disposition batches", {CLERK, MAYOR}, clause="702.7"),
    rule(
        "retention:batches_propose",
        "Look for records due for destruction",
        {CLERK},
        "POST",
        clause="702.7",
    ),
    rule("retention:batch", "Review a disposition batch", {CLERK, MAYOR}, clause="702.7"),
    rule(
        "retention:batch_approve",
        "Approve a batch: destroy its records",
        {CLERK},
        "POST",
        clause="702.7",
        note="never records under a legal hold or an open records request",
    ),
    rule("retention:batch_decline", "Decline a disposition batch", {CLERK}, "POST", clause="702.7"),
    rule(
        "retention:certificates",
        "See the certificates of destruction",
        {CLERK, MAYOR},
        clause="702.7",
    ),
    rule(
        "retention:certificate",
        "Read or print a certificate of destruction",
        {CLERK, MAYOR},
        clause="702.7",
    ),
    rule(
        "retention:certificate_csv",
        "Download a certificate of destruction",
        {CLERK, MAYOR},
        clause="702.7",
    ),
    # Public records requests and the City Clerk's exports (702.7)
    rule(
        "records:requests",
        "See the log of public records requests",
        {CLERK, MAYOR},
        clause="702.7",
    ),
    rule(
        "records:request",
        "See a public records request, its exports, redactions and custody log",
        {CLERK, MAYOR},
        clause="702.7",
    ),
    rule("records:request_new", "Log a public records request", {CLERK}, clause="702.7"),
    rule(
        "records:request_export",
        "Export the records a request covers",
        {CLERK},
        "POST",
        clause="702.7",
    ),
    rule(
        "records:request_exemption",
        "Redact or withhold a record of a request, with the exemption",
        {CLERK},
        "POST",
        clause="702.7",
    ),
    rule(
        "records:request_release",
        "Record an export as given to the requester",
        {CLERK},
        "POST",
        clause="702.7",
    ),
    rule(
        "records:request_close",
        "Close a request with its final disposition",
        {CLERK},
        "POST",
        clause="702.7",
    ),
    rule("records:exports", "Pick records to export; see past exports", {CLERK}, clause="702.7"),
    rule("records:export_new", "Request an export", {CLERK}, "POST", clause="702.7"),
    rule("records:export", "Follow an export", {CLERK}, clause="702.7"),
    rule("records:export_progress", "See an export's progress", {CLERK}, clause="702.7"),
    rule("records:export_download", "Download an export", {CLERK}, clause="702.7"),
    # Training (702.8)
    rule("training:index", "See one's training", SIGNED_IN, clause="702.8"),
    rule("training:module", "Open a training module", SIGNED_IN, clause="702.8"),
    rule("training:page", "Read a training page", SIGNED_IN, clause="702.8"),
    rule("training:complete", "Take a module's quiz or attestation", SIGNED_IN, clause="702.8"),
    rule("training:report", "See who is trained", {MAYOR}, clause="702.8"),
    rule("training:report_csv", "Download the training report", {MAYOR}, clause="702.8"),
    rule("training:manage", "See the training modules' settings", {MAYOR}, clause="702.8"),
    rule("training:configure", "Configure a module", {MAYOR}, clause="702.8"),
    rule("training:publish", "Publish a new version of a module", {MAYOR}, clause="702.8"),
    # This table
    rule("accounts:permissions", "Read this table", {MAYOR, DESIGNEE}, clause="702.3"),
]

# URLs of third-party apps, tested where they are configured, not walked here.
NOT_WALKED = ("admin:", "social:")


def rule_for(url_name: str) -> Rule | None:
    return next((r for r in TABLE if r.url == url_name), None)
