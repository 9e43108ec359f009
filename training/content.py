"""The default training modules (702.8), as data.

`load_default_modules()` puts them in the database once; after that the Mayor's office
keeps them (a module already there is left as it is). The text is general to cities in
the United States: where local law or the City's own rules decide, it says so and sends
the reader to the City Attorney, the City Clerk or their supervisor. It is training,
not legal advice.

Page bodies are plain text: blank lines separate paragraphs; lines starting with "- "
make a bulleted list. In questions, the right answer starts with "*".
"""

from django.db import transaction

from .models import ModuleVersion, QuizChoice, QuizQuestion, Topic, TrainingModule, TrainingPage

LEGAL = {
    "slug": "legal-issues",
    "title": "Legal issues in the City's use of social media",
    "topic": Topic.LEGAL,
    "summary": (
        "Why the First Amendment applies to City accounts, how to treat comments and "
        "critics, and the rules on copyright, endorsements and election campaigns."
    ),
    "pages": [
        (
            "City accounts speak for the City",
            """When you post on a City account, the City is speaking. The City's own posts are government speech: the City chooses its messages. But the City is also bound by the U.S. Constitution, including the First Amendment, in everything it does on social media.

Only employees authorized by the Mayor or the authorized designee post on behalf of the City, using city-approved equipment (702.3). Authorization is personal: never share your login or post from someone else's.

In Lindke v. Freed (2024) the U.S. Supreme Court said that a public official's social media activity is an act of the government when the official (1) had actual authority to speak for the government on the matter and (2) claimed to use that authority in the post. Official City accounts meet that test every time.

- Keep City business on City accounts.
- Do not run City business from a personal account, and do not present a personal account as an official one.
- Your personal use of social media is covered by your city's speech and social networking policy, not this training (702.1).""",
        ),
        (
            "Comments, critics and the First Amendment",
            """When a government opens an interactive space to the public (replies, comments, reactions), courts may treat that space as a public forum. In a public forum the government may not pick and choose speakers by their views. Deleting a comment, hiding it or blocking a person because of the opinion they express is viewpoint discrimination, and it is unconstitutional, even when the opinion is harsh criticism of the City or its officials.

The City avoids the problem at the source: City sites are set up so that the public cannot post to them (702.5.1). Where a platform allows it, replies are turned off or limited in the same way for everyone. The City gives the public another way to reach its employees directly.

- Never block or mute a person, or delete their reply, because of what they think.
- Where your city's platform cannot turn replies off, only your city's written, viewpoint-neutral comment rules (for example: spam, threats, obscenity) may be applied, to everyone alike. Ask your supervisor before removing anything, and keep a copy: it is a public record.
- If you see unauthorized or inappropriate content on a City site, report it to your supervisor promptly (702.5).""",
        ),
        (
            "Copyright, endorsements and election campaigns",
            """Copyright. Almost every photo, video, drawing, song or article you find online belongs to someone. Giving credit is not permission. Use material the City made, material the City has a license for, or material in the public domain (for example, most works of the federal government). Keep a note of where an image came from and what allows the City to use it. Ask your city's attorney before relying on "fair use".

Endorsements. A post, share or like from a City account can read as the City's recommendation. Do not promote a private business, product or service unless your city's rules allow it, for example a formal City partnership (702.5(d)).

Election campaigns. Most states forbid using public resources (staff time, City equipment, City accounts) to support or oppose a candidate or a ballot measure. Some employees whose jobs are paid for with federal funds are also covered by the federal Hatch Act.

- Do not post, share or like campaign material from a City account, including material from elected officials.
- Neutral, factual information about an election or a measure may be allowed by your state's law; ask your supervisor or your city's attorney first.""",
        ),
    ],
    "questions": [
        (
            "A resident replies to a City post calling the new parking plan “a disgrace”. What may the City do?",
            [
                "*Leave the reply: criticism of the City is protected speech and may not be removed for its viewpoint",
                "Delete the reply because it harms the City's reputation",
                "Block the resident so they cannot reply again",
                "Hide the reply so that only the resident can see it",
            ],
        ),
        (
            "Under Lindke v. Freed (2024), when is an official's social media post an act of the government?",
            [
                "Whenever the person posting is a public employee",
                "*When the official had actual authority to speak for the government on the matter and claimed to use it in the post",
                "Only when the post appears on the city website",
                "Never: social media platforms are private companies",
            ],
        ),
        (
            "You find a striking photo of the river on a photographer's website. May you post it on a City account if you credit the photographer?",
            [
                "*No, not without the photographer's permission or a license: credit is not permission",
                "Yes, credit makes any use fair use",
                "Yes, if the post is about a public event",
                "Yes, anything on the internet is in the public domain",
            ],
        ),
        (
            "A week before an election, a council member asks you to share their post urging a “yes” vote on a ballot measure. What do you do?",
            [
                "Share it, because a council member is a City official",
                "Share it and add “views are the council member's own”",
                "*Decline: City accounts are public resources and may not be used to support or oppose a ballot measure; ask your supervisor about neutral, factual information",
                "Like it instead of sharing it",
            ],
        ),
    ],
}

PRIVACY = {
    "slug": "privacy",
    "title": "Privacy and confidential information",
    "topic": Topic.PRIVACY,
    "summary": (
        "What never goes in a post: personal information, investigations, juveniles and "
        "victims, health and education records, and what hides in photos."
    ),
    "pages": [
        (
            "What never goes in a post",
            """A post on a City account is public the moment it goes out, it can be copied, and it cannot really be taken back. Policy 702.5 forbids posting information that violates anyone's privacy or confidentiality rights (702.5(b)), that could compromise an ongoing investigation (702.5(c)), or that could compromise the safety and security of City operations, employees or the public (702.5(e)).

Never post:

- home addresses, personal phone numbers or e-mail addresses, dates of birth;
- Social Security, driver's license, account or case numbers;
- names of suspects, witnesses or evidence in an ongoing investigation, unless the investigating agency has released them;
- employees' personal information, schedules or whereabouts;
- security details: door codes, passwords, camera locations, tactical plans.

When you are not sure whether something may be released, do not post it: ask your supervisor, who can check with the City Attorney or the public records officer.""",
        ),
        (
            "Juveniles, victims, health and education records",
            """Many state laws protect the identity of juveniles involved in incidents and of victims of crimes such as sexual assault, domestic violence, stalking and human trafficking. Your city's rules may go further. Do not post their names, photos, or details that together point to them. "A 15-year-old student at Lincoln Middle who lives on Elm Court" identifies a child as surely as a name.

Health information. HIPAA protects health information held by health care providers, health plans and their business associates. That can include a city's ambulance service, clinics and employee health plan. Do not describe a named or recognizable person's injuries, illness or treatment.

Education records. FERPA protects student records held by schools that receive federal funds. City programs that work with schools may receive such records; keep them out of posts.

- Even where HIPAA or FERPA does not strictly apply, treat health, disability and education details as confidential.
- Describe an incident, not the people in it: "Two people were taken to the hospital", not who or with what.""",
        ),
        (
            "Photos, screenshots and messages",
            """Photos and videos carry more than their subject. Before you post one, look at everything in the frame:

- papers, whiteboards and computer screens;
- license plates, house numbers and name badges;
- faces of children, and of people in sensitive situations (at a shelter, a clinic, an arrest).

Get consent before posting an identifiable person where your city's rules ask for it, and always from a parent or guardian for a child. Many cities use a photo release form; your supervisor knows which one.

Phones store the location where a photo was taken in the file. Remove location data before posting photos taken at someone's home or at a sensitive site.

Screenshots of messages or e-mails show names and addresses: crop or redact them. Residents sometimes send personal details in direct messages; never repost them, and move the conversation to the proper City channel.""",
        ),
    ],
    "questions": [
        (
            "A post about a car crash on Route 9 may include which of these?",
            [
                "*The road closure and the detour",
                "The name of the injured 12-year-old passenger",
                "The driver's home address",
                "The injuries listed in the ambulance report",
            ],
        ),
        (
            "Which of these could identify a crime victim even without a name?",
            [
                "“Police responded to a call downtown on Tuesday.”",
                "*“The victim, a 15-year-old student at Lincoln Middle who lives on Elm Court…”",
                "“The investigation is ongoing.”",
                "“Anyone with information may call the tip line.”",
            ],
        ),
        (
            "Which federal law protects health information held by a city's ambulance service or clinic?",
            [
                "FERPA",
                "The Hatch Act",
                "*HIPAA",
                "The Copyright Act",
            ],
        ),
        (
            "Before posting photos from a City event, what should you do?",
            [
                "Nothing: photos of public events never need a check",
                "*Check the frame for documents, screens and license plates, and have consent for identifiable children",
                "Tag everyone who appears in them",
                "Add a filter so that faces are less sharp",
            ],
        ),
    ],
}

CIVIL_RIGHTS = {
    "slug": "civil-rights",
    "title": "Civil rights, accessibility and equal treatment",
    "topic": Topic.CIVIL_RIGHTS,
    "summary": (
        "Treating everyone alike, making every post usable by people with disabilities "
        "(ADA, alt text, captions), and language access."
    ),
    "pages": [
        (
            "Equal treatment of everyone",
            """The City uses social media in a way that protects the constitutional rights of all people (702.2). Content that is abusive, discriminatory, inflammatory or sexually explicit is prohibited (702.5(a)).

- Treat everyone alike. Do not block, mute or ignore people for who they are or what they believe. City sites do not take public posts (702.5.1); the City's way for the public to contact its employees is open to everyone.
- Choose words and images that do not stereotype any group. Show the community as it is.
- Describe a person the public is asked to help find with details that actually identify them: clothing, height, a vehicle, a tattoo. A description by race or ethnicity alone does not identify anyone and can harm a whole group.
- Federal and state civil rights laws forbid discrimination on the basis of race, color, national origin, sex, religion, disability and age, among others. Your city's laws may protect more groups.""",
        ),
        (
            "Accessible posts: the ADA and alt text",
            """Title II of the Americans with Disabilities Act requires cities to make their programs, services and activities, including online ones, accessible to people with disabilities. A 2024 U.S. Department of Justice rule sets the technical standard for state and local government web content, social media posts included: the Web Content Accessibility Guidelines, WCAG 2.1 Level AA, with compliance dates phased in by population. Your city's ADA coordinator knows the dates that apply. Federal agencies follow the similar Section 508 standards, which many cities also use as a benchmark.

What this means for every post:

- Give every image alt text that says what a sighted reader learns from it. "Flyer: Riverside Pool opens Saturday, June 1, 10 AM to 6 PM" helps; "image" or "flyer.jpg" does not.
- Put any text that appears in an image in the post itself, too.
- Caption videos accurately (automatic captions need checking) and offer a transcript for audio.
- Write hashtags in "camel case" (#RivertonParks), so screen readers read the words.
- Keep emoji few and at the end; a screen reader reads each one out.
- Never let color alone carry the meaning, and use links whose text says where they go.""",
        ),
        (
            "Language access and plain language",
            """Title VI of the Civil Rights Act forbids discrimination on the basis of national origin in programs that receive federal funds. For a city that means giving people with limited English proficiency meaningful access to important information, especially about safety and emergencies.

- Follow your city's language access plan: which languages, for which kinds of information.
- Have important translations checked by a qualified person; machine translation alone can be wrong in ways that matter in an emergency.
- Write in plain language: short sentences, common words, the most important fact first. Plain language helps everyone, including people with cognitive disabilities.
- Tell people how to ask for information in another language or format (large print, audio) and make sure the request reaches someone who answers it.""",
        ),
    ],
    "questions": [
        (
            "Which alt text is best for a photo of a flyer announcing that the pool opens?",
            [
                "“Image”",
                "“flyer.jpg”",
                "*“Flyer: Riverside Pool opens Saturday, June 1, 10 AM to 6 PM, free for children under 12.”",
                "“See the flyer for details.”",
            ],
        ),
        (
            "A City video announcement has spoken information. What makes it accessible?",
            [
                "*Accurate captions, and a transcript or a text summary",
                "Background music",
                "A bright thumbnail image",
                "Posting it on two platforms",
            ],
        ),
        (
            "Which hashtag can a screen reader read most clearly?",
            [
                "#rivertonparksandrec",
                "*#RivertonParksAndRec",
                "#RIVERTONPARKSANDREC",
                "#r_p_r",
            ],
        ),
        (
            "A request for help finding a missing adult describes them only by race and age. What is wrong?",
            [
                "Nothing: it is short",
                "It should also give the person's home address",
                "*It relies on race without details that actually identify the person, such as clothing, height or a vehicle",
                "It should be posted only on the website",
            ],
        ),
    ],
}

DISSEMINATION = {
    "slug": "dissemination",
    "title": "Disseminating information on City sites",
    "topic": Topic.DISSEMINATION,
    "summary": (
        "What may be posted and by whom, approval, accuracy and corrections, incidents, "
        "and sharing other people's content."
    ),
    "pages": [
        (
            "What may be posted, and by whom",
            """Only employees authorized by the Mayor or the authorized designee post on behalf of the City (702.3). If you are not authorized, ask through your supervisor to have something posted.

Only content that is appropriate for public release, that supports the City's mission, and that follows all City policies on the release of information may be posted (702.4). Every post belongs to one of the policy's categories:

- (a) announcements; (b) crime prevention tips and information; (c) requests for information; (d) community engagement; (e) real-time safety information; (f) traffic information; (g) media releases; (h) recruitment of personnel.

Content posted for personal use (702.5(f)) and content that has not been properly authorized (702.5(g)) are prohibited.

In CitySocial a supervisor approves content before it goes out, and an approval covers exactly the words the supervisor saw: change the text and it needs approval again.""",
        ),
        (
            "Accuracy, incidents and corrections",
            """People act on what the City posts. Check every fact with the department that owns it: the date, the time, the place, the phone number, the link. Link to the official page where people can read more.

During an active incident (a crime alert, a fire, a flood, a major traffic problem) speed and accuracy both matter. The Mayor or the authorized designee is responsible for compiling the information the City releases (702.4.1). Post what they have confirmed; do not speculate, and do not get ahead of the incident commander.

When a post is wrong:

- Correct it openly: post a correction, or update the post and say what changed and when.
- Do not quietly delete a wrong post. The original stays a public record either way, and a silent deletion looks like hiding something.
- If you see unauthorized or inappropriate content on a City site, report it to your supervisor promptly. The supervisor removes it from public view and investigates how it got there (702.5).""",
        ),
        (
            "Sharing, replies and requests",
            """Sharing, reposting, quoting or liking content from a City account tells the public the City stands behind it. Share only from sources your city's rules allow, typically other government agencies and official partners, and only content you would be willing to post yourself.

City sites do not accept posts from the public (702.5.1). The City provides a way for members of the public to contact City employees directly; point people to it.

- Do not handle individual service requests, complaints or personal matters in public replies. Send the person to the City's contact method, where their details stay private.
- Follow, like and subscribe from City accounts only as your city's rules allow; it can look like an endorsement.
- Requests from employees who are not authorized to post come through the supervisory chain (702.3); an authorized poster then drafts the post and a supervisor approves it.""",
        ),
    ],
    "questions": [
        (
            "You are not authorized to post, but your department needs a road-closure notice out today. What do you do?",
            [
                "Post it from your personal account and tag the City",
                "Borrow an authorized colleague's login",
                "*Ask your supervisor, who routes the request to an authorized employee (702.3)",
                "Post it from the City account and tell the Mayor's office afterwards",
            ],
        ),
        (
            "A published post gave the wrong date for a public meeting. What is the right fix?",
            [
                "*Correct it openly and say what changed; the original stays in the City's records",
                "Quietly delete the post",
                "Edit the post without saying anything",
                "Leave it: people will work it out",
            ],
        ),
        (
            "Which of these is an authorized content category under 702.4?",
            [
                "A staff member's personal fundraiser",
                "*Recruitment of personnel",
                "A recommendation of a local restaurant",
                "A council candidate's campaign event",
            ],
        ),
        (
            "During an active flood evacuation, who is responsible for compiling the information the City releases?",
            [
                "Any employee who sees the flood",
                "The first person to post about it",
                "*The Mayor or the authorized designee (702.4.1)",
                "The social media platform",
            ],
        ),
    ],
}

RETENTION = {
    "slug": "retention",
    "title": "Public records and retention",
    "topic": Topic.RETENTION,
    "summary": (
        "Why posts, comments and messages are public records, how retention schedules "
        "work, and what to do about deletions, holds and records requests."
    ),
    "pages": [
        (
            "Posts, comments and messages are public records",
            """Every state has a public records law, for example Washington's Public Records Act (chapter 42.56 RCW) or the California Public Records Act. These laws reach records made or received in connection with public business, in any format. On a City account that generally includes:

- every post and every version of it, with its photos and videos;
- replies and comments, including those written by the public;
- direct messages sent and received;
- the account's settings and who had access, where your city's rules say so.

Anyone may ask to see public records, and the City must keep them for as long as its retention schedule says, whether or not anyone asks.

City business done on a personal phone or personal account can still be a public record, and may have to be searched and produced. Keep City business on City accounts and city-approved equipment (702.3).""",
        ),
        (
            "Retention schedules",
            """The Mayor works with the City Clerk to make sure the public records created by social media use are kept according to the established retention schedules (702.7). A retention schedule says how long each kind of record is kept and what happens to it afterwards.

An example: Washington's Local Government Common Records Retention Schedule (CORE) includes series GS50-01-12, "Communications – Governing/Executive/Advisory", which expressly covers social networking posts and comments made for a city's executive or governing body. It is kept for two years after the communication was received or provided, whichever is later, and then goes to the Washington State Archives for appraisal. Routine communications fall under other series, and information published online counts as still "provided" until it is taken down. Your city's state has its own schedules; the City Clerk applies them.

- Platforms are not archives: they change, delete and lose content. CitySocial keeps every published version of every post in the City's archive, with a tamper-evident checksum chain the City Clerk can verify.
- Never decide on your own that a social media record is not worth keeping.""",
        ),
        (
            "Deleting, holds and requests",
            """Removing a post from public view is not the same as destroying the record. When a supervisor takes inappropriate content down (702.5), the City keeps a copy.

- Never delete a post, comment or message to avoid a records request, embarrassment or criticism. Destroying public records before their retention period ends can break state law.
- Records that are the subject of a pending public records request, or of a legal hold because of litigation that is under way or reasonably expected, must not be destroyed even when their retention period has ended.
- When someone asks you for records, or you hear that a request or a lawsuit touches your work, tell the City Clerk or your city's public records officer right away.
- If a post is wrong, correct it openly (see "Disseminating information"); the record of what was first posted stays.""",
        ),
    ],
    "questions": [
        (
            "Is a resident's comment on a City post a public record?",
            [
                "No, because a resident wrote it",
                "*Generally yes: content made or received on a City account in connection with City business is a public record",
                "Only if the comment is positive",
                "Only after the City Clerk prints it",
            ],
        ),
        (
            "A post has an embarrassing error, and a records request that covers it has just arrived. What do you do?",
            [
                "Delete the post before the request is answered",
                "Edit the post so that the original disappears",
                "Ask the requester to withdraw the request",
                "*Keep the record, correct the post openly if needed, and tell the City Clerk about the request",
            ],
        ),
        (
            "Who decides how long the City keeps its social media records?",
            [
                "*The retention schedule adopted under state law, applied by the City Clerk (702.7)",
                "Each employee who posts",
                "The social media platform",
                "Nobody: platforms keep everything forever",
            ],
        ),
        (
            "You answered a resident's question about a City permit from your personal account. What is true?",
            [
                "It is private because the account is personal",
                "*The exchange may still be a public record; keep it, and use City accounts for City business",
                "Delete it at once so that it is not a record",
                "It matters only if you used a City phone",
            ],
        ),
    ],
}

DEFAULT_MODULES = [LEGAL, PRIVACY, CIVIL_RIGHTS, DISSEMINATION, RETENTION]


def parse_choices(choices: list[str]) -> list[tuple[str, bool]]:
    """["*right", "wrong"] -> [("right", True), ("wrong", False)]"""
    return [
        (text[1:].strip(), True) if text.startswith("*") else (text.strip(), False)
        for text in choices
    ]


@transaction.atomic
def load_default_modules() -> list[TrainingModule]:
    """Create any default module that is not there yet; leave existing ones as they are.

    Idempotent: the demo city and `manage.py load_training_modules` may call it every run.
    """
    modules = []
    for position, definition in enumerate(DEFAULT_MODULES, start=1):
        module, created = TrainingModule.objects.get_or_create(
            slug=definition["slug"],
            defaults={
                "title": definition["title"],
                "topic": definition["topic"],
                "summary": definition["summary"],
                "position": position,
            },
        )
        if created:
            for number, (title, body) in enumerate(definition["pages"], start=1):
                TrainingPage.objects.create(module=module, position=number, title=title, body=body)
            for number, (prompt, choices) in enumerate(definition["questions"], start=1):
                question = QuizQuestion.objects.create(
                    module=module, position=number, prompt=prompt
                )
                for order, (text, is_correct) in enumerate(parse_choices(choices), start=1):
                    QuizChoice.objects.create(
                        question=question, position=order, text=text, is_correct=is_correct
                    )
            ModuleVersion.objects.create(
                module=module, number=1, note="The City's default content for Policy 702.8."
            )
        modules.append(module)
    return modules
