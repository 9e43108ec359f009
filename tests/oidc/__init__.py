"""A real OpenID Connect provider for the sign-on tests, and a man in the middle for refusals.

`IdentityProvider` runs tests/oidc/provider.mjs (panva's oidc-provider, from npm) under node on
127.0.0.1. `TamperingTokenProxy` stands between CitySocial and the provider's token endpoint and
changes the ID token's claims on the way, leaving the provider's signature as it was.
"""

from __future__ import annotations

import base64
import json
import os
import selectors
import shutil
import signal
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCRIPT = HERE / "provider.mjs"


class ProviderUnavailable(RuntimeError):
    pass


class IdentityProvider:
    def __init__(self, *, clients: list[dict], accounts: dict[str, dict], log_path: Path):
        self.config = {"clients": clients, "accounts": accounts}
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.issuer = ""

    def start(self, timeout: float = 30.0) -> IdentityProvider:
        node = shutil.which("node")
        if node is None:
            raise ProviderUnavailable("node is not installed (Debian: nodejs).")
        if not (ROOT / "node_modules" / "oidc-provider").is_dir():
            raise ProviderUnavailable("oidc-provider is not installed: run `npm ci`.")
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [node, str(SCRIPT)],
            cwd=ROOT,
            env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(self.config)},
            stdout=subprocess.PIPE,
            stderr=self.log,
            start_new_session=True,
        )
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            self.stop()
            raise ProviderUnavailable(f"The OpenID provider did not start; see {self.log_path}.")
        line = self.process.stdout.readline()
        if not line:
            self.stop()
            raise ProviderUnavailable(f"The OpenID provider exited; see {self.log_path}.")
        self.issuer = json.loads(line)["issuer"]
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process is not None:
            self.process.stdout.close()
            self.log.close()

    def discovery(self) -> dict:
        url = f"{self.issuer}/.well-known/openid-configuration"
        return requests.get(url, timeout=5).json()


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def tamper_id_token(id_token: str, **claims) -> str:
    """The same token with some claims changed, and the provider's signature kept as it was."""
    header, payload, signature = id_token.split(".")
    changed = {**json.loads(_b64decode(payload)), **claims}
    return ".".join((header, _b64encode(json.dumps(changed).encode()), signature))


class TamperingTokenProxy:
    """Forwards token requests to the provider and changes the ID token's claims in the answer."""

    def __init__(self, token_endpoint: str, **claims):
        self.token_endpoint = token_endpoint
        self.claims = claims
        self.tampered = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {
                    name: self.headers[name]
                    for name in ("Authorization", "Content-Type")
                    if self.headers[name]
                }
                answer = requests.post(proxy.token_endpoint, data=body, headers=headers, timeout=10)
                data = answer.json()
                if "id_token" in data:
                    data["id_token"] = tamper_id_token(data["id_token"], **proxy.claims)
                    proxy.tampered += 1
                content = json.dumps(data).encode()
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/token"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> TamperingTokenProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
