"""A small fake Bluesky PDS that speaks the AT Protocol's XRPC wire format.

Used by the test suite and by the local demo, so that CitySocial can post to "Bluesky"
without any real server. Standard library plus `regex` (for grapheme clusters, as the
real server counts them).

What it follows (atproto.com/specs/xrpc, docs.bsky.app, the com.atproto lexicons):

* ``POST /xrpc/com.atproto.server.createSession`` ``{"identifier", "password"}`` answers
  ``accessJwt``/``refreshJwt``/``did``/``handle``/``didDoc``; a wrong password is 401
  ``AuthenticationRequired``. ``POST /xrpc/com.atproto.server.refreshSession`` takes the
  refresh JWT as bearer and rotates both. ``GET /xrpc/com.atproto.server.getSession``.
* An expired access JWT is answered 400 ``{"error": "ExpiredToken", "message": "Token has
  expired"}``; an unknown one 401 ``InvalidToken``. :meth:`FakeBluesky.expire_access_tokens`
  expires every current access JWT on demand.
* ``POST /xrpc/com.atproto.repo.createRecord``, ``GET .../getRecord`` (400 ``RecordNotFound``),
  ``POST .../deleteRecord`` (a no-op for a record already gone, as the PDS does),
  ``POST .../uploadBlob`` (raw bytes; answers a blob reference). Posts are checked against
  ``app.bsky.feed.post``: 300 graphemes and 3000 bytes of text, a ``createdAt``, at most 3
  ``langs``, facets within the text's UTF-8 bytes, at most 4 images each with ``alt`` and an
  uploaded blob of at most 1,000,000 bytes. Record keys of posts and thread gates must be TIDs;
  a thread gate must name a post of the same repo with the same key. Creating a record where
  one exists fails as the real repository does (500).
* ``GET /xrpc/com.atproto.repo.listRecords`` (``repo``, ``collection``, ``limit`` 1-100,
  ``cursor``, ``reverse``) and ``GET /xrpc/app.bsky.feed.getAuthorFeed`` (``actor``, ``limit``,
  ``filter``; feedViewPost items with each post's thread gate view), as the PDS answers them
  (the second proxied to the AppView).
* Errors are ``{"error": "...", "message": "..."}``; every ``/xrpc/`` answer carries
  ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` (epoch seconds) and
  ``RateLimit-Policy`` (3000 requests per 5 minutes; createSession 30 per 5 minutes), and going
  over answers 429 ``RateLimitExceeded``.

* ``GET /xrpc/app.bsky.feed.getPosts?uris=...`` (up to 25, repeated; the access JWT as bearer,
  as the PDS proxies it to the AppView) answers ``{"posts": [postView...]}`` with
  ``likeCount``, ``repostCount``, ``replyCount`` and ``quoteCount``; posts not there are left out.

Not Bluesky, for tests and demos (as methods, and under ``/_sandbox/``): ``engagement``
(``{"id": "<uri or rkey>", "likes": 3, "shares": 2, "quotes": 1, "replies": 0}``), ``fail``, ``rate_limit``
(429 with the reset a few seconds ahead), ``drop`` (carry out the next repo write, then close the
connection without answering), ``latency``, ``expire`` and ``reset``; ``GET /_sandbox/state``.

``GET /`` is a small HTML page of the posts; ``GET /profile/<actor>/post/<rkey>`` shows one.
Everything lives in memory and vanishes when the server stops. Nothing is public.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import html
import json
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

import regex

from .base import Answer as _Answer
from .base import Fault, SandboxHandler, SandboxServer, missing_post_page, nowhere_page, page
from .base import timeline_section as _timeline_section

POST = "app.bsky.feed.post"
THREADGATE = "app.bsky.feed.threadgate"
GET_POSTS = "app.bsky.feed.getPosts"
MAX_GET_POSTS = 25  # app.bsky.feed.getPosts#uris maxLength
MAX_GRAPHEMES = 300
MAX_TEXT_BYTES = 3000
MAX_LANGS = 3
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 1_000_000
MAX_BLOB_BYTES = 5_000_000
ACCESS_TTL = 2 * 3600  # the PDS's access JWTs last two hours
REFRESH_TTL = 90 * 86400
GLOBAL_LIMIT = ("global", 3000, 300)
SESSION_LIMIT = ("createSession", 30, 300)
RETRY_AFTER_429 = 5
TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
DATETIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
REPO_WRITES = frozenset(
    {
        "com.atproto.repo.createRecord",
        "com.atproto.repo.putRecord",
        "com.atproto.repo.deleteRecord",
        "com.atproto.repo.applyWrites",
        "com.atproto.repo.uploadBlob",
    }
)
RESPONSE_NAMES = {
    400: ("InvalidRequest", "Invalid Request"),
    401: ("AuthenticationRequired", "Authentication Required"),
    403: ("Forbidden", "Forbidden"),
    404: ("XRPCNotSupported", "XRPCNotSupported"),
    413: ("PayloadTooLarge", "Payload Too Large"),
    429: ("RateLimitExceeded", "Rate Limit Exceeded"),
    500: ("InternalServerError", "Internal Server Error"),
    501: ("MethodNotImplemented", "Method Not Implemented"),
    502: ("UpstreamFailure", "Upstream Failure"),
    503: ("NotEnoughResources", "Not Enough Resources"),
    504: ("UpstreamTimeout", "Upstream Timeout"),
}


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _now() -> datetime:
    return datetime.now(UTC)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _cid(value: Any) -> str:
    """A CID-looking string (base32 sha-256 of the JSON), stable for the same content."""
    digest = hashlib.sha256(json.dumps(value, sort_keys=True).encode()).digest()
    return "bafyrei" + base64.b32encode(digest).decode().rstrip("=").lower()[:52]


def _tid_now() -> str:
    value = (int(time.time() * 1_000_000) << 10) | secrets.randbelow(1024)
    chars = []
    for _ in range(13):
        chars.append(TID_ALPHABET[value & 0x1F])
        value >>= 5
    return "".join(reversed(chars))


def _xrpc_error(status: int, message: str | None = None, name: str | None = None) -> _Answer:
    default_name, default_message = RESPONSE_NAMES.get(status, ("Unknown", "Unknown"))
    return _Answer(status, {"error": name or default_name, "message": message or default_message})


class RecordedRequest(NamedTuple):
    """One request to the API, for assertions: the full path, every header, the raw body."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def nsid(self) -> str:
        return urlsplit(self.path).path.removeprefix("/xrpc/")

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}


@dataclass
class _Fault(Fault):
    nsid: str = "com.atproto.repo.createRecord"

    def matches(self, method: str, nsid: str) -> bool:
        return self.method.upper() == method and self.nsid in {nsid, "*"}


# _post_view looks the thread gate up itself unless given one (None: the post has none).
LOOK_UP = object()


class FakeBluesky(SandboxServer):
    """A Bluesky PDS in a daemon thread, with an in-memory repo and fault controls.

    Example::

        with FakeBluesky(identifier="city.bsky.social", app_password="pw") as fake:
            requests.post(f"{fake.base_url}/xrpc/com.atproto.server.createSession", ...)
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        identifier: str = "city.bsky.social",
        app_password: str = "sandbox-app-password",  # noqa: S107 - a sandbox password
        title: str = "Sandbox (Bluesky API)",
        *,
        did: str = "did:plc:citysandbox0000000000000",
        display_name: str = "City (sandbox)",
        access_ttl: float = ACCESS_TTL,
        enforce_rate_limits: bool = True,
        verbose: bool = False,
    ):
        self.handle = identifier
        self.app_password = app_password
        self.did = did
        self.display_name = display_name
        self.access_ttl = access_ttl
        self.enforce_rate_limits = enforce_rate_limits
        super().__init__(host, port, title, verbose)

    def _clear(self) -> None:
        with self._lock:
            self._clear_controls()
            self._records: dict[tuple[str, str], dict[str, Any]] = {}
            self._blobs: dict[str, dict[str, Any]] = {}
            self._tokens: dict[str, dict[str, Any]] = {}
            self._buckets: dict[tuple[str, str], tuple[float, int]] = {}

    # --- Controls for tests (also under /_sandbox/) -------------------------------
    def fail_next(
        self,
        status: int,
        count: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        method: str = "POST",
        nsid: str = "com.atproto.repo.createRecord",
    ) -> None:
        """Answer the next `count` calls of `nsid` ("*" for any) with `status`.

        `body` defaults to the XRPC error for that status; a string is sent as HTML, as a
        proxy in front of the PDS would.
        """
        self._queue_fault(_Fault, status, count, body, headers, method, nsid)

    def rate_limit_next(
        self,
        count: int = 1,
        *,
        seconds: int = RETRY_AFTER_429,
        method: str = "POST",
        nsid: str = "com.atproto.repo.createRecord",
    ) -> None:
        """Answer the next calls 429 RateLimitExceeded, the reset `seconds` ahead."""
        reset = str(int(time.time()) + int(seconds))
        self.fail_next(
            429,
            count,
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            {"RateLimit-Remaining": "0", "RateLimit-Reset": reset},
            method=method,
            nsid=nsid,
        )

    def drop_next(self, count: int = 1, *, path: str | None = None) -> None:
        """Carry out the next `count` repo writes, then close the connection without answering
        (with `path`, only calls of that XRPC method, e.g. "com.atproto.repo.createRecord")."""
        super().drop_next(count, path=path)

    def expire_access_tokens(self) -> None:
        """Every access JWT issued so far expires now (the refresh JWTs still work)."""
        with self._lock:
            for token in self._tokens.values():
                if token["scope"] == "com.atproto.access":
                    token["exp"] = 0
        # Responses already made keep their answers; new calls with those tokens get 400.

    def expire_refresh_tokens(self) -> None:
        with self._lock:
            for token in self._tokens.values():
                if token["scope"] == "com.atproto.refresh":
                    token["exp"] = 0

    def reset(self) -> None:
        """Forget every record, blob, session, fault, request and rate-limit count."""
        super().reset()

    @property
    def posts(self) -> list[dict[str, Any]]:
        """The live posts, oldest first: uri, cid, rkey, value, and their thread gate or None."""
        with self._lock:
            records = [
                {**copy.deepcopy(r), "threadgate": copy.deepcopy(self._gate_of(r["rkey"]))}
                for (collection, _), r in self._records.items()
                if collection == POST
            ]
        return sorted(records, key=lambda r: r["indexed"])

    @property
    def threadgates(self) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(r) for (c, _), r in self._records.items() if c == THREADGATE]

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "posts": sum(1 for c, _ in self._records if c == POST),
                "threadgates": sum(1 for c, _ in self._records if c == THREADGATE),
                "blobs": len(self._blobs),
                "pending_failures": [
                    {"method": f.method, "nsid": f.nsid, "status": f.status, "count": f.count}
                    for f in self._faults
                ],
                "pending_drops": self._drops,
                "latency": self._latency,
                "requests": len(self._requests),
            }

    def _gate_of(self, rkey: str) -> dict[str, Any] | None:
        gate = self._records.get((THREADGATE, rkey))
        return gate["value"] if gate else None

    # --- Sessions ---------------------------------------------------------------------
    def _issue(self, scope: str, ttl: float) -> str:
        now = int(time.time())
        claims = {"scope": scope, "sub": self.did, "iat": now, "exp": now + int(ttl)}
        header = _b64(json.dumps({"typ": "at+jwt", "alg": "HS256"}).encode())
        payload = _b64(json.dumps(claims).encode())
        token = f"{header}.{payload}.{_b64(secrets.token_bytes(32))}"
        with self._lock:
            self._tokens[token] = {"scope": scope, "exp": claims["exp"]}
        return token

    def _session_body(self) -> dict[str, Any]:
        return {
            "accessJwt": self._issue("com.atproto.access", self.access_ttl),
            "refreshJwt": self._issue("com.atproto.refresh", REFRESH_TTL),
            "handle": self.handle,
            "did": self.did,
            "didDoc": {
                "@context": ["https://www.w3.org/ns/did/v1"],
                "id": self.did,
                "alsoKnownAs": [f"at://{self.handle}"],
                "service": [
                    {
                        "id": "#atproto_pds",
                        "type": "AtprotoPersonalDataServer",
                        "serviceEndpoint": self.base_url,
                    }
                ],
            },
            "email": f"socialmedia@{self.handle}",
            "emailConfirmed": True,
            "active": True,
        }

    def _check_token(self, headers, scope: str) -> _Answer | None:
        value = headers.get("Authorization") or ""
        kind, _, token = value.strip().partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            return _xrpc_error(401, "Authentication Required", "AuthenticationRequired")
        with self._lock:
            known = next(
                (
                    info
                    for candidate, info in self._tokens.items()
                    if hmac.compare_digest(candidate.encode(), token.strip().encode())
                ),
                None,
            )
        if known is None or known["scope"] != scope:
            return _xrpc_error(401, "Token could not be verified", "InvalidToken")
        if known["exp"] <= time.time():
            return _xrpc_error(400, "Token has expired", "ExpiredToken")
        return None

    # --- Rate limits ------------------------------------------------------------------
    def _rate(self, nsid: str, key: str, now: float) -> tuple[dict[str, str], bool]:
        buckets = [GLOBAL_LIMIT]
        if nsid == "com.atproto.server.createSession":
            buckets.append(SESSION_LIMIT)
        closest, exceeded = None, False
        with self._lock:
            for name, limit, period in buckets:
                window = now - (now % period)
                start, used = self._buckets.get((name, key), (window, 0))
                if start != window:
                    used = 0
                used += 1
                self._buckets[(name, key)] = (window, used)
                remaining = max(limit - used, 0)
                exceeded = exceeded or used > limit
                if closest is None or remaining < closest[1]:
                    closest = (limit, remaining, window + period, period)
        limit, remaining, reset, period = closest
        headers = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(int(reset)),
            "RateLimit-Policy": f"{limit};w={period}",
        }
        return headers, exceeded and self.enforce_rate_limits

    # --- The API ----------------------------------------------------------------------
    def handle_api(self, method: str, target: str, headers, raw: bytes, client: str) -> _Answer:
        split = urlsplit(target)
        nsid = split.path.removeprefix("/xrpc/").strip("/")
        rate_headers, exceeded = self._rate(nsid, f"ip:{client}", time.time())
        fault = self._take_fault(method, nsid)
        if fault is not None:
            answer = _Answer(fault.status, fault.body, dict(rate_headers))
            if fault.body is None:
                answer.payload = _xrpc_error(fault.status).payload
            if fault.status == 429:
                answer.headers.update(
                    {
                        "RateLimit-Remaining": "0",
                        "RateLimit-Reset": str(int(time.time()) + RETRY_AFTER_429),
                    }
                )
            answer.headers.update(fault.headers)
            return answer
        if exceeded:
            answer = _xrpc_error(429)
            answer.headers = {**rate_headers, "RateLimit-Remaining": "0"}
            return answer
        lists = parse_qs(split.query)
        query = {k: v[-1] for k, v in lists.items()}
        if nsid == GET_POSTS:  # an array parameter: `uris` repeated
            return self._answer_get_posts(method, headers, lists.get("uris", []), rate_headers)
        answer = self._route(method, nsid, query, headers, raw)
        answer.headers = {**rate_headers, **answer.headers}
        if method == "POST" and nsid in REPO_WRITES and answer.status < 400:
            self._take_drop(answer, nsid)
        return answer

    def _route(self, method: str, nsid: str, query: dict, headers, raw: bytes) -> _Answer:
        procedures = {
            "com.atproto.server.createSession": self._create_session,
            "com.atproto.server.refreshSession": self._refresh_session,
            "com.atproto.repo.createRecord": self._create_record,
            "com.atproto.repo.deleteRecord": self._delete_record,
            "com.atproto.repo.uploadBlob": self._upload_blob,
        }
        queries = {
            "com.atproto.server.getSession": self._get_session,
            "com.atproto.repo.getRecord": self._get_record,
            "com.atproto.repo.listRecords": self._list_records,
            "app.bsky.feed.getAuthorFeed": self._author_feed,
        }
        if nsid in procedures:
            if method != "POST":
                return _xrpc_error(400, "Incorrect HTTP method (GET) expected POST")
            if nsid == "com.atproto.repo.uploadBlob":
                return self._upload_blob(headers, raw)
            try:
                body = json.loads(raw.decode("utf-8")) if raw else {}
            except ValueError:
                return _xrpc_error(400, "Request body is not valid JSON")
            if not isinstance(body, dict):
                return _xrpc_error(400, "Input must be an object")
            return procedures[nsid](headers, body)
        if nsid in queries:
            if method != "GET":
                return _xrpc_error(400, f"Incorrect HTTP method ({method}) expected GET")
            return queries[nsid](headers, query)
        return _xrpc_error(501)

    def _create_session(self, headers, body: dict) -> _Answer:
        identifier, password = body.get("identifier"), body.get("password")
        if not isinstance(identifier, str) or not isinstance(password, str):
            return _xrpc_error(400, 'Input must have the property "identifier" and "password"')
        known = identifier.lower().lstrip("@") in {self.handle.lower(), self.did}
        if not known or not hmac.compare_digest(password.encode(), self.app_password.encode()):
            return _xrpc_error(401, "Invalid identifier or password", "AuthenticationRequired")
        return _Answer(200, self._session_body())

    def _refresh_session(self, headers, body: dict) -> _Answer:
        refused = self._check_token(headers, "com.atproto.refresh")
        if refused is not None:
            return refused
        token = (headers.get("Authorization") or "").split(" ", 1)[1].strip()
        with self._lock:
            self._tokens.pop(token, None)  # refresh JWTs rotate
        session = self._session_body()
        return _Answer(200, {k: session[k] for k in ("accessJwt", "refreshJwt", "handle", "did")})

    def _get_session(self, headers, query: dict) -> _Answer:
        refused = self._check_token(headers, "com.atproto.access")
        if refused is not None:
            return refused
        return _Answer(
            200,
            {
                "handle": self.handle,
                "did": self.did,
                "email": f"socialmedia@{self.handle}",
                "emailConfirmed": True,
                "active": True,
            },
        )

    def _repo_ok(self, repo: Any) -> bool:
        return isinstance(repo, str) and repo in {self.did, self.handle}

    def _get_record(self, headers, query: dict) -> _Answer:
        repo, collection, rkey = query.get("repo"), query.get("collection"), query.get("rkey")
        if not repo or not collection or not rkey:
            return _xrpc_error(400, 'Params must have the properties "repo", "collection", "rkey"')
        if not self._repo_ok(repo):
            return _xrpc_error(400, f"Could not find repo: {repo}")
        uri = f"at://{self.did}/{collection}/{rkey}"
        with self._lock:
            record = self._records.get((collection, rkey))
        if record is None:
            return _xrpc_error(400, f"Could not locate record: {uri}", "RecordNotFound")
        return _Answer(200, {"uri": uri, "cid": record["cid"], "value": record["value"]})

    @staticmethod
    def _limit(query: dict) -> int | None:
        try:
            limit = int(query.get("limit") or 50)
        except ValueError:
            return None
        return limit if 1 <= limit <= 100 else None

    def _list_records(self, headers, query: dict) -> _Answer:
        """com.atproto.repo.listRecords: a collection's records by record key, newest first
        (`reverse=true`: oldest first), `cursor` the last key of the page."""
        repo, collection = query.get("repo"), query.get("collection")
        if not repo or not collection:
            return _xrpc_error(400, 'Params must have the properties "repo", "collection"')
        if not self._repo_ok(repo):
            return _xrpc_error(400, f"Could not find repo: {repo}")
        limit = self._limit(query)
        if limit is None:
            return _xrpc_error(400, "limit must be an integer from 1 to 100")
        reverse = str(query.get("reverse") or "").lower() == "true"
        cursor = query.get("cursor")
        with self._lock:
            records = [copy.deepcopy(r) for (c, _), r in self._records.items() if c == collection]
        records.sort(key=lambda r: r["rkey"], reverse=not reverse)
        if cursor:
            records = [
                r for r in records if (r["rkey"] > cursor if reverse else r["rkey"] < cursor)
            ]
        page = records[:limit]
        body: dict[str, Any] = {
            "records": [{"uri": r["uri"], "cid": r["cid"], "value": r["value"]} for r in page]
        }
        if len(records) > limit:
            body["cursor"] = page[-1]["rkey"]
        return _Answer(200, body)

    def _author_feed(self, headers, query: dict) -> _Answer:
        """app.bsky.feed.getAuthorFeed (served by the AppView; the PDS proxies it): the
        account's posts as feedViewPost items, newest first. The sandbox holds no reposts."""
        actor = str(query.get("actor") or "").lstrip("@")
        if not actor:
            return _xrpc_error(400, 'Params must have the property "actor"')
        if actor not in {self.did, self.handle}:
            return _xrpc_error(400, "Profile not found", "InvalidRequest")
        limit = self._limit(query)
        if limit is None:
            return _xrpc_error(400, "limit must be an integer from 1 to 100")
        no_replies = query.get("filter") == "posts_no_replies"
        posts = [p for p in reversed(self.posts) if not (no_replies and p["value"].get("reply"))]
        posts.sort(key=lambda p: (p["indexed"], p["rkey"]), reverse=True)
        cursor = query.get("cursor")
        if cursor:
            posts = [p for p in posts if p["indexed"] < cursor]
        page = posts[:limit]
        body: dict[str, Any] = {"feed": [{"post": self._post_view(p)} for p in page]}
        if len(posts) > limit:
            body["cursor"] = page[-1]["indexed"]
        return _Answer(200, body)

    # --- Posts made in the Bluesky app, not through CitySocial (702.5) -----------------
    def post_as_account(self, text: str, *, allow: list | None = None) -> dict[str, Any]:
        """A post made in the Bluesky app. The app adds no thread gate unless asked: `allow`
        (a list of app.bsky.feed.threadgate rules, [] for nobody) adds one."""
        if graphemes(text) > MAX_GRAPHEMES:
            raise ValueError(f"Bluesky posts hold at most {MAX_GRAPHEMES} graphemes.")
        rkey = _tid_now()
        record = {"$type": POST, "text": text, "createdAt": _iso(_now()), "langs": ["en"]}
        uri = f"at://{self.did}/{POST}/{rkey}"
        with self._lock:
            self._records[(POST, rkey)] = {
                "uri": uri,
                "cid": _cid(record),
                "rkey": rkey,
                "value": record,
                "indexed": _iso(_now()),
            }
            if allow is not None:
                gate = {"$type": THREADGATE, "post": uri, "allow": list(allow)}
                gate["createdAt"] = record["createdAt"]
                self._records[(THREADGATE, rkey)] = {
                    "uri": f"at://{self.did}/{THREADGATE}/{rkey}",
                    "cid": _cid(gate),
                    "rkey": rkey,
                    "value": gate,
                    "indexed": _iso(_now()),
                }
            return self._post_view(self._records[(POST, rkey)])

    def edit_post(self, post_id: str, text: str) -> None:
        """com.atproto.repo.putRecord of the post with new text (what "edit" means on a
        repo): a new cid under the same key. `post_id` is the at:// uri or the record key."""
        rkey = post_id.rstrip("/").rsplit("/", 1)[-1]
        with self._lock:
            post = self._records.get((POST, rkey))
            if post is None:
                raise ValueError(f"No post {post_id}.")
            value = {**post["value"], "text": text}
            value.pop("facets", None)
            post.update(value=value, cid=_cid(value))

    def _create_record(self, headers, body: dict) -> _Answer:
        refused = self._check_token(headers, "com.atproto.access")
        if refused is not None:
            return refused
        repo, collection, record = body.get("repo"), body.get("collection"), body.get("record")
        rkey = body.get("rkey") or _tid_now()
        if not self._repo_ok(repo):
            return _xrpc_error(400, f"Could not find repo: {repo}")
        if not isinstance(collection, str) or not isinstance(record, dict):
            return _xrpc_error(400, 'Input must have the properties "repo", "collection", "record"')
        if record.get("$type") not in {None, collection}:
            return _xrpc_error(
                400, f"Invalid $type: expected {collection}, got {record.get('$type')}"
            )
        record = {"$type": collection, **record}
        if collection in {POST, THREADGATE} and not TID_RE.match(str(rkey)):
            return _xrpc_error(400, f"Invalid record key: {rkey} is not a valid TID")
        problem = self._validate(collection, str(rkey), record)
        if problem:
            return _xrpc_error(400, f"Invalid {collection} record: {problem}")
        uri = f"at://{self.did}/{collection}/{rkey}"
        with self._lock:
            if (collection, rkey) in self._records:
                # The repository refuses a second value at the same key; the PDS answers 500.
                return _xrpc_error(500)
            cid = _cid(record)
            self._records[(collection, rkey)] = {
                "uri": uri,
                "cid": cid,
                "rkey": rkey,
                "value": record,
                "indexed": _iso(_now()),
            }
        return _Answer(
            200,
            {
                "uri": uri,
                "cid": cid,
                "commit": {"cid": _cid([uri, cid, "commit"]), "rev": _tid_now()},
                "validationStatus": "valid",
            },
        )

    def _validate(self, collection: str, rkey: str, record: dict) -> str | None:
        created = record.get("createdAt")
        if not isinstance(created, str) or not DATETIME_RE.match(created):
            return 'Record must have the property "createdAt" as a datetime'
        if collection == POST:
            text = record.get("text")
            if not isinstance(text, str):
                return 'Record must have the property "text"'
            if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
                return f"Record/text must not be longer than {MAX_TEXT_BYTES} characters"
            if graphemes(text) > MAX_GRAPHEMES:
                return f"Record/text must not be longer than {MAX_GRAPHEMES} graphemes"
            langs = record.get("langs", [])
            if not isinstance(langs, list) or len(langs) > MAX_LANGS:
                return f"Record/langs must not have more than {MAX_LANGS} elements"
            size = len(text.encode("utf-8"))
            for number, facet in enumerate(record.get("facets") or []):
                index = facet.get("index") if isinstance(facet, dict) else None
                start = index.get("byteStart") if isinstance(index, dict) else None
                end = index.get("byteEnd") if isinstance(index, dict) else None
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
                    return f"Record/facets/{number}/index must have byteStart <= byteEnd"
                if end > size:
                    return f"Record/facets/{number}/index is outside the text"
                if not facet.get("features"):
                    return f'Record/facets/{number} must have the property "features"'
            return self._validate_reply(record.get("reply")) or self._validate_embed(
                record.get("embed")
            )
        if collection == THREADGATE:
            post = record.get("post")
            if not isinstance(post, str) or not post.startswith("at://"):
                return 'Record must have the property "post" as an at-uri'
            if post != f"at://{self.did}/{POST}/{rkey}":
                return "Record/post must be the post of this repo with the same record key"
            allow = record.get("allow", [])
            if not isinstance(allow, list) or len(allow) > 5:
                return "Record/allow must be a list of at most 5 rules"
        return None

    def _validate_reply(self, reply: Any) -> str | None:
        """`app.bsky.feed.post#replyRef`: strong refs to the root and the parent, each a
        post this repo holds with that cid (the sandbox has no other repos)."""
        if reply is None:
            return None
        if not isinstance(reply, dict):
            return "Record/reply must be an object"
        for part in ("root", "parent"):
            ref = reply.get(part)
            if not isinstance(ref, dict) or not isinstance(ref.get("uri"), str):
                return f'Record/reply must have the property "{part}" with "uri" and "cid"'
            if not isinstance(ref.get("cid"), str):
                return f'Record/reply/{part} must have the property "cid"'
            prefix = f"at://{self.did}/{POST}/"
            rkey = ref["uri"][len(prefix) :] if ref["uri"].startswith(prefix) else None
            with self._lock:
                held = self._records.get((POST, rkey)) if rkey else None
            if held is None:
                return f"Record/reply/{part}: could not find post {ref['uri']}"
            if held["cid"] != ref["cid"]:
                return f"Record/reply/{part}: cid {ref['cid']} is not the post's current cid"
        return None

    def _validate_embed(self, embed: Any) -> str | None:
        if embed is None:
            return None
        if not isinstance(embed, dict) or embed.get("$type") != "app.bsky.embed.images":
            return "Record/embed is not a known embed"
        images = embed.get("images")
        if not isinstance(images, list) or not 1 <= len(images) <= MAX_IMAGES:
            return f"Record/embed/images must have 1 to {MAX_IMAGES} elements"
        for number, image in enumerate(images):
            if not isinstance(image, dict) or not isinstance(image.get("alt"), str):
                return f'Record/embed/images/{number} must have the property "alt"'
            blob = image.get("image")
            link = (blob or {}).get("ref", {}).get("$link") if isinstance(blob, dict) else None
            with self._lock:
                stored = self._blobs.get(str(link))
            if stored is None:
                return f"Record/embed/images/{number}/image: could not find blob {link}"
            if not stored["mimeType"].startswith("image/"):
                return f"Record/embed/images/{number}/image mimeType is not an image"
            if stored["size"] > MAX_IMAGE_BYTES:
                return f"Record/embed/images/{number}/image file too large"
        return None

    def _delete_record(self, headers, body: dict) -> _Answer:
        refused = self._check_token(headers, "com.atproto.access")
        if refused is not None:
            return refused
        repo, collection, rkey = body.get("repo"), body.get("collection"), body.get("rkey")
        if not self._repo_ok(repo):
            return _xrpc_error(400, f"Could not find repo: {repo}")
        with self._lock:
            removed = self._records.pop((collection, rkey), None)
        if removed is None:
            return _Answer(200, {})  # a no-op, as the PDS answers for a record already gone
        return _Answer(
            200, {"commit": {"cid": _cid([removed["uri"], "delete"]), "rev": _tid_now()}}
        )

    def _upload_blob(self, headers, raw: bytes) -> _Answer:
        refused = self._check_token(headers, "com.atproto.access")
        if refused is not None:
            return refused
        mime = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if not mime:
            return _xrpc_error(400, "Request encoding (Content-Type) required but not provided")
        if len(raw) > MAX_BLOB_BYTES:
            return _xrpc_error(413, "request entity too large")
        link = "bafkrei" + base64.b32encode(hashlib.sha256(raw).digest()).decode()[:52].lower()
        blob = {"$type": "blob", "ref": {"$link": link}, "mimeType": mime, "size": len(raw)}
        with self._lock:
            self._blobs[link] = {"mimeType": mime, "size": len(raw)}
        return _Answer(200, {"blob": blob})

    # --- Engagement (702.6): app.bsky.feed.getPosts -------------------------------
    def engagement_key(self, post_id: str) -> str:
        """A post's counts are kept by record key; its at:// URI names the same post."""
        return str(post_id).rstrip("/").rsplit("/", 1)[-1]

    def _answer_get_posts(self, method: str, headers, uris: list[str], rate_headers) -> _Answer:
        if method != "GET":
            answer = _xrpc_error(400, f"Incorrect HTTP method ({method}) expected GET")
        else:
            answer = self._get_posts(headers, uris)
        answer.headers = {**rate_headers, **answer.headers}
        return answer

    def _get_posts(self, headers, uris: list[str]) -> _Answer:
        """Hydrated post views (app.bsky.feed.defs#postView) for up to 25 AT-URIs, in the order
        asked; a post that is not there is left out, as the AppView does."""
        refused = self._check_token(headers, "com.atproto.access")
        if refused is not None:
            return refused
        if not uris:
            return _xrpc_error(400, 'Params must have the property "uris"')
        if len(uris) > MAX_GET_POSTS:
            return _xrpc_error(400, f"uris must not have more than {MAX_GET_POSTS} elements")
        views = []
        for uri in uris:
            if not uri.startswith(f"at://{self.did}/{POST}/"):
                continue  # another repo's post: this PDS hydrates only its own
            rkey = self.engagement_key(uri)
            with self._lock:
                record = copy.deepcopy(self._records.get((POST, rkey)))
                gate = copy.deepcopy(self._records.get((THREADGATE, rkey)))
            if record is None:
                continue
            views.append(self._post_view(record, gate))
        return _Answer(200, {"posts": views})

    def _post_view(self, record: dict[str, Any], gate: Any = LOOK_UP) -> dict[str, Any]:
        """app.bsky.feed.defs#postView, with the counts set for the post and the thread gate's
        view when the post has one (looked up unless the caller has it)."""
        if gate is LOOK_UP:
            with self._lock:
                gate = self._records.get((THREADGATE, record["rkey"]))
        counts = self.engagement_of(record["rkey"])
        view: dict[str, Any] = {
            "uri": record["uri"],
            "cid": record["cid"],
            "author": {"did": self.did, "handle": self.handle, "displayName": self.display_name},
            "record": record["value"],
            "replyCount": counts["replies"] or 0,
            "repostCount": counts["shares"] or 0,
            "likeCount": counts["likes"] or 0,
            "quoteCount": counts["quotes"] or 0,
            "indexedAt": record["indexed"],
            "viewer": {},
            "labels": [],
        }
        if gate is not None:
            view["threadgate"] = {"uri": gate["uri"], "cid": gate["cid"], "record": gate["value"]}
        return view

    # --- Control surface over HTTP ------------------------------------------------
    def _control_not_found(self) -> _Answer:
        return _xrpc_error(404, "Not found")

    def _control(self, action: str, body: dict[str, Any]) -> bool:
        if action == "fail":
            self.fail_next(
                body.get("status", 500),
                body.get("count", 1),
                body.get("body"),
                body.get("headers"),
                method=body.get("method", "POST"),
                nsid=body.get("nsid", "com.atproto.repo.createRecord"),
            )
        elif action == "rate_limit":
            self.rate_limit_next(
                body.get("count", 1),
                seconds=body.get("seconds", RETRY_AFTER_429),
                method=body.get("method", "POST"),
                nsid=body.get("nsid", "com.atproto.repo.createRecord"),
            )
        elif action == "expire":
            self.expire_access_tokens()
        else:
            return False
        return True

    # --- HTML -----------------------------------------------------------------------
    def render_page(self, rkey: str | None = None) -> tuple[int, str]:
        posts = list(reversed(self.posts))
        if rkey is not None:
            posts = [p for p in posts if p["rkey"] == rkey]
            if not posts:
                return missing_post_page(self.title, "posts")
        items = "".join(self._post_html(p) for p in posts)
        heading = "Post" if rkey is not None else "Posts, newest first"
        body = (
            '<p class="note"><strong>This is a local sandbox that speaks the Bluesky (AT '
            "Protocol) API.</strong> Nothing here is public: posts live only in this process's "
            f"memory and vanish when it stops. Account: {html.escape(self.display_name)} "
            f"(@{html.escape(self.handle)}).</p>" + _timeline_section(heading, items)
        )
        if rkey is not None:
            body += '<p><a href="/">Back to the posts</a></p>'
        return 200, page(self.title, self.title, body)

    def _post_html(self, post: dict[str, Any]) -> str:
        value = post["value"]
        gate = post["threadgate"]
        if gate is None:
            replies = "anyone can reply"
        elif not gate.get("allow"):
            replies = "nobody can reply"
        else:
            replies = "replies are limited"
        href = f"/profile/{html.escape(self.did)}/post/{html.escape(post['rkey'])}"
        parent = ((value.get("reply") or {}).get("parent") or {}).get("uri")
        if parent:
            parent_key = html.escape(str(parent).rsplit("/", 1)[-1])
            parent_href = f"/profile/{html.escape(self.did)}/post/{parent_key}"
            replies += f' &middot; in reply to <a href="{parent_href}">{parent_key}</a>'
        images = (value.get("embed") or {}).get("images") or []
        alts = "".join(
            f"<li>Image: {html.escape(str(i.get('alt') or 'no description'))}</li>" for i in images
        )
        return (
            f'<li><article aria-label="Post {html.escape(post["rkey"])}">'
            f'<p class="meta"><a href="{href}"><time datetime="{html.escape(post["indexed"])}">'
            f"{html.escape(post['indexed'])}</time></a> &middot; {replies}</p>"
            f"<p>{_rich_text(value.get('text') or '', value.get('facets') or [])}</p>"
            f"{f'<ul>{alts}</ul>' if alts else ''}</article></li>"
        )


def _rich_text(text: str, facets: list[dict]) -> str:
    """The text, escaped, with its link facets as links (byte offsets into UTF-8)."""
    data = text.encode("utf-8")
    spans = []
    for facet in facets:
        index = facet.get("index") or {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        uri = next(
            (
                f.get("uri")
                for f in facet.get("features") or []
                if f.get("$type") == "app.bsky.richtext.facet#link"
            ),
            None,
        )
        if isinstance(start, int) and isinstance(end, int) and uri:
            spans.append((start, end, str(uri)))
    out, position = [], 0
    for start, end, uri in sorted(spans):
        if start < position:
            continue
        out.append(html.escape(data[position:start].decode("utf-8", "replace")))
        label = html.escape(data[start:end].decode("utf-8", "replace"))
        if uri.lower().startswith(("https://", "http://")):
            out.append(f'<a href="{html.escape(uri)}" rel="nofollow noopener">{label}</a>')
        else:
            out.append(label)
        position = end
    out.append(html.escape(data[position:].decode("utf-8", "replace")))
    return "".join(out).replace("\n", "<br>")


class _Handler(SandboxHandler):
    server_version = "FakeBluesky/1.0"

    def _dispatch(self, method: str) -> None:
        fake = self.fake
        raw, path = self._read_body()
        if path.startswith("/xrpc/"):
            fake._log_request(RecordedRequest(method, self.path, dict(self.headers.items()), raw))
            answer = fake.handle_api(method, self.path, self.headers, raw, self.client_address[0])
            if answer.drop:
                self._drop()
                return
            self._send(answer)
        elif path.startswith("/_sandbox/"):
            self._send(fake.handle_control(method, path, raw))
        elif method == "GET":
            single = re.fullmatch(r"/profile/[^/]+/post/([234567a-z]{13})/?", path)
            if path == "/" or single:
                status, text = fake.render_page(single.group(1) if single else None)
            else:
                status, text = nowhere_page(fake.title, "posts")
            self._send_html(status, text)
        else:
            self._send(_xrpc_error(404, "Not found"))


FakeBluesky.handler_class = _Handler
