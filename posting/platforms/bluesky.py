"""Bluesky, through the AT Protocol's XRPC API (docs.bsky.app, atproto.com/specs).

Sign-in is `com.atproto.server.createSession` with the account's identifier and an app
password (the channel's secret is JSON: {"identifier": "...", "app_password": "..."}); the
access JWT goes in `Authorization: Bearer`, and a call answered 400 `ExpiredToken` is retried
once after `com.atproto.server.refreshSession` (with the refresh JWT). Sessions are kept per
process, so a worker does not sign in for every post (createSession is limited to 30 per 5
minutes per account).

A post is `com.atproto.repo.createRecord` of an `app.bsky.feed.post` record; its images are
first sent with `com.atproto.repo.uploadBlob` and embedded as `app.bsky.embed.images`, each
with its alternative text (`alt`) and aspect ratio. Its record key
(a TID) is derived from the publication before anything is sent, so a retry after a lost
answer first asks `com.atproto.repo.getRecord` for that key and never posts twice. Every post
gets an `app.bsky.feed.threadgate` record with the same key and an empty `allow` list: nobody
may reply (702.5.1: city sites are designed to prevent posting by the public).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import regex
import requests
from django.conf import settings

from ..credentials import secret_for
from .base import (
    Adapter,
    Capabilities,
    Engagement,
    Image,
    PlatformError,
    PublishResult,
    RemotePost,
    ReplyPolicy,
    count_of,
    total_of,
    unreachable,
)

DEFAULT_SERVICE = "https://bsky.app"
DEFAULT_PDS = "https://bsky.social"
POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"
GET_POSTS = "app.bsky.feed.getPosts"
BLUESKY_COUNTS = ("likeCount", "repostCount", "quoteCount", "replyCount")
MAX_GRAPHEMES = 300  # app.bsky.feed.post#text maxGraphemes
MAX_IMAGES = 4  # app.bsky.embed.images maxLength
MAX_IMAGE_BYTES = 1_000_000  # app.bsky.embed.images#image maxSize
LANGS = ["en"]
MAX_PAGE = 100  # getAuthorFeed and listRecords: limit 1-100
POST_URL_RE = regex.compile(r"/profile/([^/]+)/post/([234567a-z]{13})/?$")
# Thread gate rules (app.bsky.feed.threadgate#allow): an empty list lets nobody reply; only a
# mention rule lets only the accounts the post mentions reply (the City's posts mention nobody).
MENTION_RULE = "app.bsky.feed.threadgate#mentionRule"

# base32-sortable, the TID alphabet (atproto.com/specs/tid).
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
TID_RE = regex.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
# When a publication has no creation time (never saved), its TID still needs a plausible clock.
FALLBACK_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

GRAPHEME_RE = regex.compile(r"\X")

# Links the way Bluesky's own RichText.detectFacets finds them: a URL with its scheme, or a
# bare domain with a known top-level domain, at the start of the text or after a space or "(".
# Trailing punctuation and an unbalanced ")" stay outside the link.
URL_RE = regex.compile(
    r"(?:^|(?<=[\s(]))(?:https?://\S+|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,})(?:/\S*)?)",
    regex.IGNORECASE,
)
# Top-level domains a bare domain ("riverton.gov/roads") may end in to become a link.
BARE_TLD_WORDS = """com net org gov edu mil int info biz name pro app dev io co us uk ca au nz
ie eu de fr es it nl be ch at se no dk fi pt pl cz jp kr cn in br mx ar za city town news online
site social page blog tech today life live world community health"""
BARE_TLDS = frozenset(BARE_TLD_WORDS.split())
TRAILING_PUNCTUATION = ".,;:!?\"'"

ERROR_WORDS = {
    "AuthenticationRequired": "the sign-in was refused",
    "InvalidToken": "the session is not valid",
    "ExpiredToken": "the session has expired",
    "AccountTakedown": "the account has been taken down",
    "RateLimitExceeded": "too many requests",
    "RecordNotFound": "the post was not found",
}
TRANSIENT_ERRORS = {"RateLimitExceeded", "InternalServerError", "UpstreamFailure"}
SESSION_ERRORS = {"ExpiredToken", "InvalidToken", "AuthenticationRequired"}
TRANSIENT_STATUSES = {408, 425, 429, 500, 502, 503, 504}

_sessions: dict[tuple[str, str, str], dict[str, Any]] = {}
_sessions_lock = threading.Lock()


def forget_sessions() -> None:
    """Drop every cached session (tests, or after an account's app password changed)."""
    with _sessions_lock:
        _sessions.clear()


# --- Text ------------------------------------------------------------------------------
def grapheme_length(text: str) -> int:
    """Extended grapheme clusters, as Bluesky counts a post's 300 (Unicode's UAX #29)."""
    return len(GRAPHEME_RE.findall(text))


def _trim(url: str) -> str:
    while url:
        last = url[-1]
        if last in TRAILING_PUNCTUATION or (last == ")" and url.count("(") < url.count(")")):
            url = url[:-1]
            continue
        break
    return url


def link_facets(text: str) -> list[dict[str, Any]]:
    """`app.bsky.richtext.facet#link` facets; byteStart/byteEnd count UTF-8 bytes."""
    facets = []
    for match in URL_RE.finditer(text):
        candidate = _trim(match.group(0))
        if "://" in candidate:
            if candidate.endswith("://") or "." not in candidate.split("://", 1)[1]:
                continue
            uri = candidate
        else:
            host = candidate.split("/", 1)[0].lower()
            if host.rsplit(".", 1)[-1] not in BARE_TLDS:
                continue
            uri = f"https://{candidate}"
        start = len(text[: match.start()].encode("utf-8"))
        end = start + len(candidate.encode("utf-8"))
        facets.append(
            {
                "$type": "app.bsky.richtext.facet",
                "index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
            }
        )
    return facets


# --- Record keys -----------------------------------------------------------------------
def encode_tid(value: int) -> str:
    """A 64-bit integer (top bit zero) as a 13-character base32-sortable TID."""
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 0x1F])
        value >>= 5
    return "".join(reversed(chars))


def rkey_for(publication) -> str:
    """The publication's record key, the same on every attempt: a valid TID.

    53 bits of microseconds (the publication's creation time: a plausible, stable clock)
    and 10 bits of "clock identifier" taken from its idempotency key.
    """
    digest = hashlib.sha256(str(publication.idempotency_key).encode()).digest()
    clock_id = int.from_bytes(digest[:2], "big") & 0x3FF
    created = getattr(publication, "created_at", None)
    if created is None:
        offset = int.from_bytes(digest[2:8], "big") % (10 * 365 * 86400 * 1_000_000)
        created = FALLBACK_EPOCH + timedelta(microseconds=offset)
    micros = int(created.timestamp() * 1_000_000) & ((1 << 53) - 1)
    return encode_tid((micros << 10) | clock_id)


def _now_iso() -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _rkey_of(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


# --- The adapter -----------------------------------------------------------------------
class BlueskyAdapter(Adapter):
    text_limit = MAX_GRAPHEMES
    capabilities = Capabilities(
        can_delete=True,
        restricts_replies=True,
        reply_restriction=(
            "Nobody can reply: every post goes out with a thread gate that allows no replies "
            "(702.5.1)."
        ),
        max_images=MAX_IMAGES,
        max_image_bytes=MAX_IMAGE_BYTES,
        image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        counts_text_by="graphemes",
        posts_per_minute=25,  # 5,000 points an hour, 3 points per created record
        can_reply=True,  # a reply ref to the post's uri and cid
    )

    def __init__(self, channel):
        super().__init__(channel)
        self._service: str | None = None  # the PDS that holds the repo, once signed in

    def text_length(self, text: str) -> int:
        return grapheme_length(text)

    # --- Credentials and session ---------------------------------------------------
    def _credentials(self) -> tuple[str, str]:
        secret = secret_for(self.channel)
        try:
            data = json.loads(secret)
            identifier, password = data["identifier"], data["app_password"]
        except (ValueError, TypeError, KeyError):
            raise PlatformError(
                f"The credentials for {self.channel.name} are not in the expected form: "
                'JSON {"identifier": ..., "app_password": ...} (an app password, not the '
                "account's own password).",
                permanent=True,
            ) from None
        if not identifier or not password:
            raise PlatformError(
                f"The credentials for {self.channel.name} need both an identifier and an "
                "app password.",
                permanent=True,
            )
        return str(identifier), str(password)

    def _entryway(self) -> str:
        return (self.channel.api_base_url or DEFAULT_PDS).rstrip("/")

    def _cache_key(self) -> tuple[str, str, str]:
        identifier, password = self._credentials()
        fingerprint = hashlib.sha256(f"{identifier}\0{password}".encode()).hexdigest()[:16]
        return (self._entryway(), identifier.lower(), fingerprint)

    def _session(self, *, fresh: bool = False) -> dict[str, Any]:
        key = self._cache_key()
        with _sessions_lock:
            session = None if fresh else _sessions.get(key)
        if session is None:
            identifier, password = self._credentials()
            session = self._send(
                "POST",
                self._entryway(),
                "com.atproto.server.createSession",
                json={"identifier": identifier, "password": password},
                what="the sign-in",
            ).json()
            with _sessions_lock:
                _sessions[key] = session
        self._service = _pds_endpoint(session) or self._entryway()
        return session

    def _refresh(self, session: dict[str, Any]) -> dict[str, Any]:
        """A new access JWT from the refresh JWT; a new sign-in when that has expired too."""
        key = self._cache_key()
        try:
            refreshed = self._send(
                "POST",
                self._service or self._entryway(),
                "com.atproto.server.refreshSession",
                token=session["refreshJwt"],
                what="the session refresh",
            ).json()
        except PlatformError as exc:
            if exc.status in {400, 401} and _error_name(exc) in SESSION_ERRORS:
                return self._session(fresh=True)
            raise
        session = {**session, **refreshed}
        with _sessions_lock:
            _sessions[key] = session
        return session

    def _xrpc(self, method: str, nsid: str, *, auth: bool = True, **kwargs) -> requests.Response:
        """Call the repo's PDS; on ExpiredToken refresh the session and try once more."""
        if not auth:
            if self._service is None:
                self._session()
            return self._send(method, self._service, nsid, **kwargs)
        session = self._session()
        try:
            return self._send(method, self._service, nsid, token=session["accessJwt"], **kwargs)
        except PlatformError as exc:
            error = _error_name(exc)
            if error == "ExpiredToken" and exc.status in {400, 401}:
                session = self._refresh(session)
            elif error == "InvalidToken" and exc.status in {400, 401}:
                session = self._session(fresh=True)  # e.g. the server forgot our session
            else:
                raise
        return self._send(method, self._service, nsid, token=session["accessJwt"], **kwargs)

    def _send(
        self,
        method: str,
        base: str,
        nsid: str,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        what: str = "the request",
        **kwargs,
    ) -> requests.Response:
        sent = {"Accept": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        try:
            response = requests.request(
                method,
                f"{base}/xrpc/{nsid}",
                headers=sent,
                timeout=settings.PLATFORM_HTTP_TIMEOUT,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise unreachable("Bluesky", exc, method=method) from exc
        if response.status_code >= 400:
            raise _error(response, what)
        return response

    def _did(self) -> str:
        return self._session()["did"]

    # --- Records ----------------------------------------------------------------------
    def _get_record(self, collection: str, rkey: str) -> dict[str, Any] | None:
        try:
            return self._xrpc(
                "GET",
                "com.atproto.repo.getRecord",
                auth=False,
                what="the look-up of the post",
                params={"repo": self._did(), "collection": collection, "rkey": rkey},
            ).json()
        except PlatformError as exc:
            if _is_not_found(exc):
                return None
            raise

    def _create_record(self, collection: str, rkey: str, record: dict) -> dict[str, Any]:
        return self._xrpc(
            "POST",
            "com.atproto.repo.createRecord",
            json={"repo": self._did(), "collection": collection, "rkey": rkey, "record": record},
            what="the post" if collection == POST else "the reply restriction",
        ).json()

    def _delete_record(self, collection: str, rkey: str) -> None:
        try:
            self._xrpc(
                "POST",
                "com.atproto.repo.deleteRecord",
                json={"repo": self._did(), "collection": collection, "rkey": rkey},
                what="the deletion",
            )
        except PlatformError as exc:
            if not _is_not_found(exc):  # already gone counts as removed
                raise

    def _ensure_threadgate(self, post_uri: str, rkey: str, *, look: bool = True) -> dict:
        """The post's thread gate with an empty allow list (nobody may reply), made if missing.

        `look=False` skips the look-up for a post just made, which cannot have one yet.
        """
        if look:
            gate = self._get_record(THREADGATE, rkey)
            if gate is not None:
                return gate
        record = {"$type": THREADGATE, "post": post_uri, "allow": [], "createdAt": _now_iso()}
        try:
            return {**self._create_record(THREADGATE, rkey, record), "value": record}
        except PlatformError as exc:
            raise PlatformError(
                "Bluesky took the post but not its reply restriction (nobody may reply); "
                f"trying again will add it. {exc.message}",
                permanent=False,
                status=exc.status,
                response=exc.response,
                retry_after=exc.retry_after,
            ) from exc

    def _result(self, uri: str, cid: str, raw: dict[str, Any]) -> PublishResult:
        return PublishResult(remote_id=uri, remote_url=self._post_url(uri), raw_response=raw)

    def _post_url(self, uri: str) -> str:
        """The post on the web: bsky.app, or the origin of the channel's public URL."""
        origin = DEFAULT_SERVICE
        public = (self.channel.public_url or "").strip()
        if public:
            parts = urlsplit(public)
            if parts.scheme and parts.netloc:
                origin = f"{parts.scheme}://{parts.netloc}"
        did = uri.split("/")[2] if uri.startswith("at://") else self._did()
        return f"{origin}/profile/{did}/post/{_rkey_of(uri)}"

    # --- Images ------------------------------------------------------------------------
    def upload_blob(self, data: bytes, mime_type: str) -> dict[str, Any]:
        """`com.atproto.repo.uploadBlob`: the raw bytes; answers the blob reference."""
        return self._xrpc(
            "POST",
            "com.atproto.repo.uploadBlob",
            data=data,
            headers={"Content-Type": mime_type},
            what="the image",
        ).json()["blob"]

    def images_embed(self, images: list[Image]) -> dict[str, Any]:
        """Upload each image and make an `app.bsky.embed.images` embed with its alt text."""
        if len(images) > MAX_IMAGES:
            raise PlatformError(
                f"Bluesky takes at most {MAX_IMAGES} images on a post; this one has {len(images)}.",
                permanent=True,
            )
        entries = []
        for number, image in enumerate(images, start=1):
            if not (image.alt or "").strip():
                raise PlatformError(
                    f"Image {number} has no alternative text; every image needs one.",
                    permanent=True,
                )
            if len(image.data) > MAX_IMAGE_BYTES:
                raise PlatformError(
                    f"Image {number} is {len(image.data):,} bytes; Bluesky takes images up to "
                    f"{MAX_IMAGE_BYTES:,} bytes.",
                    permanent=True,
                )
            entry: dict[str, Any] = {
                "alt": image.alt,
                "image": self.upload_blob(image.data, image.mime_type),
            }
            if image.width and image.height:
                entry["aspectRatio"] = {"width": image.width, "height": image.height}
            entries.append(entry)
        return {"$type": "app.bsky.embed.images", "images": entries}

    # --- The interface -----------------------------------------------------------------
    def post_record(
        self, text: str, *, embed: dict | None = None, reply: dict | None = None
    ) -> dict[str, Any]:
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": _now_iso(),
            "langs": LANGS,
        }
        facets = link_facets(text)
        if facets:
            record["facets"] = facets
        if embed:
            record["embed"] = embed
        if reply:
            record["reply"] = reply
        return record

    def reply_ref(self, publication) -> dict[str, Any] | None:
        """`app.bsky.feed.post#replyRef` to the published `publication`: strong refs (uri and
        cid) to it as the parent and to its thread's root. The record is read afresh, so the
        cid is the one the repo holds now; None when the post is gone."""
        found = self._get_record(POST, self._rkey(publication))
        if found is None:
            return None
        parent = {"uri": found["uri"], "cid": found["cid"]}
        root = ((found.get("value") or {}).get("reply") or {}).get("root") or parent
        return {"root": root, "parent": parent}

    def publish(
        self, publication, images: list[Image] | None = None, *, reply_to=None
    ) -> PublishResult:
        """A reply is still gated: the root's thread gate governs the whole thread, and the
        author of the root may always reply under it."""
        rkey = rkey_for(publication)
        existing = self.find_existing(publication)
        if existing is not None:
            return existing
        # Blobs uploaded by an attempt whose answer was lost are simply not referenced again
        # (the PDS drops unreferenced blobs); the record key keeps the post itself single.
        images = self.images_for(publication) if images is None else images
        record = self.post_record(
            publication.post.body,
            embed=self.images_embed(images) if images else None,
            reply=self.reply_ref(reply_to) if reply_to is not None else None,
        )
        created = self._create_record(POST, rkey, record)
        gate = self._ensure_threadgate(created["uri"], rkey, look=False)
        raw = {**created, "record": record, "threadgate": gate}
        return self._result(created["uri"], created.get("cid", ""), raw)

    def find_existing(self, publication) -> PublishResult | None:
        """The post under this publication's record key, if an earlier attempt made it.

        Its thread gate is added here when the earlier attempt did not get that far.
        """
        rkey = rkey_for(publication)
        found = self._get_record(POST, rkey)
        if found is None:
            return None
        gate = self._ensure_threadgate(found["uri"], rkey)
        raw = {**found, "record": found.get("value"), "threadgate": gate, "found_existing": True}
        return self._result(found["uri"], found.get("cid", ""), raw)

    def _rkey(self, publication) -> str:
        return _rkey_of(publication.remote_id) if publication.remote_id else rkey_for(publication)

    def delete(self, publication) -> None:
        rkey = self._rkey(publication)
        self._delete_record(POST, rkey)
        self._delete_record(THREADGATE, rkey)

    def fetch(self, publication) -> dict:
        rkey = self._rkey(publication)
        found = self._get_record(POST, rkey)
        if found is None:
            raise PlatformError(
                "Bluesky has no such post: it may have been deleted.",
                permanent=True,
                status=404,
                response={"error": "RecordNotFound"},
            )
        return found

    # --- Reading the account back (702.5, 702.5.1) -------------------------------------
    def remote_id_from_url(self, url: str) -> str:
        match = POST_URL_RE.search((url or "").split("?")[0])
        if not match:
            return ""
        actor, rkey = match.group(1), match.group(2)
        if not actor.startswith("did:"):
            identifier, _ = self._credentials()
            if actor.lower().lstrip("@") != identifier.lower().lstrip("@"):
                return ""
            actor = self._did()
        return f"at://{actor}/{POST}/{rkey}"

    def _author_feed(self, limit: int) -> list[dict[str, Any]]:
        """`app.bsky.feed.getAuthorFeed` (posts and replies): the account's own posts only;
        a repost of someone else's post is theirs, not the City's words."""
        did = self._did()
        answer = self._xrpc(
            "GET",
            "app.bsky.feed.getAuthorFeed",
            what="the account's recent posts",
            params={"actor": did, "limit": min(limit, MAX_PAGE), "filter": "posts_with_replies"},
        ).json()
        posts = []
        for item in answer.get("feed") or []:
            post = item.get("post") if isinstance(item, dict) else None
            if not isinstance(post, dict) or (post.get("author") or {}).get("did") != did:
                continue
            if not str((item.get("reason") or {}).get("$type", "")).endswith("reasonRepost"):
                posts.append(post)
        return posts

    def recent_posts(self, *, limit: int = 50) -> list:
        posts = []
        for post in self._author_feed(limit):
            record = post.get("record") or {}
            created = record.get("createdAt") or post.get("indexedAt")
            posts.append(
                RemotePost(
                    remote_id=post["uri"],
                    text=str(record.get("text") or ""),
                    created_at=_moment(created),
                    url=self._post_url(post["uri"]),
                    is_reply=bool(record.get("reply")),
                    raw=post,
                )
            )
        return posts

    def _threadgates(self) -> dict[str, Any]:
        """The repo's thread gates (`com.atproto.repo.listRecords`), by the post they gate."""
        answer = self._xrpc(
            "GET",
            "com.atproto.repo.listRecords",
            auth=False,
            what="the reply restrictions",
            params={"repo": self._did(), "collection": THREADGATE, "limit": MAX_PAGE},
        ).json()
        gates = {}
        for record in answer.get("records") or []:
            value = record.get("value") if isinstance(record, dict) else None
            if isinstance(value, dict) and value.get("post"):
                gates[value["post"]] = value
        return gates

    def reply_policy(self) -> ReplyPolicy:
        """Each recent post of the City's own (not its replies: the thread's first post's gate
        governs a thread) must carry a thread gate that lets nobody from the public reply."""
        posts = [p for p in self._author_feed(MAX_PAGE) if not (p.get("record") or {}).get("reply")]
        if not posts:
            return ReplyPolicy(
                prevented=None,
                detail="No posts on the account to check yet. Every post CitySocial makes goes "
                "out with a thread gate that lets nobody reply (702.5.1).",
            )
        gates = self._threadgates()
        open_posts = []
        for post in posts:
            gate = gates.get(post["uri"])
            allow = gate.get("allow") if gate else None
            closed = allow is not None and all(
                isinstance(rule, dict) and rule.get("$type") == MENTION_RULE for rule in allow
            )
            if not closed:
                open_posts.append(self._post_url(post["uri"]))
        raw = {"checked": len(posts), "open": open_posts}
        if open_posts:
            shown = ", ".join(open_posts[:3]) + (" and others" if len(open_posts) > 3 else "")
            return ReplyPolicy(
                prevented=False,
                detail=f"{len(open_posts)} of the last {len(posts)} posts let the public reply "
                f"(no thread gate that closes replies): {shown}. Add a gate that allows no "
                "replies, or take them down (702.5.1).",
                raw=raw,
            )
        return ReplyPolicy(
            prevented=True,
            detail=f"Each of the last {len(posts)} posts has a thread gate that lets nobody "
            "from the public reply (702.5.1).",
            raw=raw,
        )

    def verify_credentials(self) -> dict:
        """Sign in afresh and ask `com.atproto.server.getSession` who we are."""
        self._session(fresh=True)
        return self._xrpc("GET", "com.atproto.server.getSession", what="the session check").json()

    # --- Engagement (702.6) ----------------------------------------------------------
    def engagement(self, publication) -> Engagement:
        """The post's view from `app.bsky.feed.getPosts` (the PDS proxies it to the AppView):
        likes, reposts and quotes (shares: a quote is a share with words), and replies.
        Bluesky counts no views."""
        uri = publication.remote_id
        if not uri.startswith("at://"):
            uri = f"at://{self._did()}/{POST}/{self._rkey(publication)}"
        answer = self._xrpc(
            "GET", GET_POSTS, params={"uris": [uri]}, what="the post's counts"
        ).json()
        views = [
            post
            for post in (answer.get("posts") if isinstance(answer, dict) else None) or []
            if isinstance(post, dict) and post.get("uri") == uri
        ]
        if not views:
            raise PlatformError(
                "Bluesky has no such post: it may have been deleted.",
                permanent=True,
                status=404,
                response=answer,
            )
        counts = {name: views[0].get(name) for name in BLUESKY_COUNTS}
        return Engagement(
            views=None,
            likes=count_of(counts["likeCount"]),
            shares=total_of(count_of(counts["repostCount"]), count_of(counts["quoteCount"])),
            replies=count_of(counts["replyCount"]),
            raw={"uri": uri, **counts},
        )


# --- Helpers ---------------------------------------------------------------------------
def _moment(value) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _pds_endpoint(session: dict[str, Any]) -> str | None:
    """The account's PDS from the DID document in the session, when the server sent one."""
    doc = session.get("didDoc")
    if not isinstance(doc, dict):
        return None
    for service in doc.get("service") or []:
        if isinstance(service, dict) and str(service.get("id", "")).endswith("#atproto_pds"):
            endpoint = str(service.get("serviceEndpoint") or "").rstrip("/")
            if endpoint.startswith(("https://", "http://")):
                return endpoint
    return None


def _is_not_found(exc: PlatformError) -> bool:
    if exc.status == 404:
        return True
    body = exc.response if isinstance(exc.response, dict) else {}
    if body.get("error") == "RecordNotFound":
        return True
    message = str(body.get("message") or "")
    return exc.status == 400 and message.startswith("Could not locate record")


def _retry_after(response: requests.Response) -> float | None:
    """Seconds until `ratelimit-reset` (epoch seconds) when the window is spent, else a
    Retry-After in seconds. Every answer carries the reset; on a 503 with requests left in
    the window it says nothing about when the server will be back."""
    names = ["retry-after"]
    if response.status_code == 429 or response.headers.get("ratelimit-remaining") == "0":
        names.insert(0, "ratelimit-reset")
    for name in names:
        value = response.headers.get(name, "").strip()
        try:
            number = float(value)
        except ValueError:
            continue
        if name == "ratelimit-reset":
            return max(0.0, number - time.time())
        return max(0.0, number)
    return None


def _error_name(exc: PlatformError) -> str:
    return str(exc.response.get("error") or "") if isinstance(exc.response, dict) else ""


def _error(response: requests.Response, what: str = "the request") -> PlatformError:
    """XRPC errors are {"error": "Name", "message": "..."}; anything else came from a proxy."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = response.text[:500]
    if isinstance(body, dict):
        name = str(body.get("error") or "")
        detail = str(body.get("message") or ERROR_WORDS.get(name) or name or response.reason)
    else:
        name, detail = "", response.reason or f"HTTP {status}"
    transient = status in TRANSIENT_STATUSES or name in TRANSIENT_ERRORS
    retry_after = _retry_after(response) if status in {429, 503} else None
    if status == 429:
        wait = f" in about {round(retry_after)} seconds" if retry_after is not None else " later"
        message = f"Bluesky is limiting requests from this account ({detail}); it will be tried again{wait}."
    elif transient:
        message = (
            f"Bluesky could not take {what} just now ({status}: {detail}); it will be tried again."
        )
    else:
        message = f"Bluesky refused {what}: {detail}"
    return PlatformError(
        message, permanent=not transient, status=status, response=body, retry_after=retry_after
    )
