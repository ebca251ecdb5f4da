"""Fetch ``/api/v1/query_range`` from a live Prometheus with the standard library.

Credentials never reach a message: basic auth takes its password from the environment
(``REPLAY_VIEWER_PROM_PASSWORD``), a bearer token comes from ``REPLAY_VIEWER_PROM_TOKEN``,
and a user:password written into the URL is moved into the header and removed from every
URL this module shows.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import ClassVar

from .common import ImportInputError
from .json_source import JsonSource

__all__ = [
    "PASSWORD_ENV",
    "TOKEN_ENV",
    "PromServer",
    "auto_step",
    "redact",
]

PASSWORD_ENV = "REPLAY_VIEWER_PROM_PASSWORD"
TOKEN_ENV = "REPLAY_VIEWER_PROM_TOKEN"
MAX_RESPONSE_BYTES = 256 * 1024 * 1024
NICE_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)


def auto_step(seconds: float, *, points: int = 1_000) -> float:
    """The smallest round step giving at most ``points`` samples per series."""
    for step in NICE_STEPS:
        if seconds / step <= points:
            return float(step)
    return float(-(-seconds // points))


def redact(url: str) -> str:
    """``url`` without any user:password part."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


@dataclass
class PromServer:
    """A Prometheus-style HTTP API. Subclasses for other servers (InfluxDB,
    VictoriaMetrics' export) change the name in messages and the variables holding
    secrets, and add their own requests on :meth:`post`."""

    url: str
    user: str | None = None
    insecure: bool = False
    timeout: float = 30.0
    product: ClassVar[str] = "Prometheus"
    password_env: ClassVar[str] = PASSWORD_ENV
    token_env: ClassVar[str] = TOKEN_ENV

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ImportInputError(
                f"--url {redact(self.url)!r} must be http:// or https://HOST[:PORT][/PATH]"
            )
        self._url_user = urllib.parse.unquote(parts.username) if parts.username else None
        self._url_password = urllib.parse.unquote(parts.password) if parts.password else None
        self.url = redact(self.url).rstrip("/")

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": "replay-viewer"}
        token = os.environ.get(self.token_env)
        user = self.user or self._url_user
        if token:
            headers["Authorization"] = f"Bearer {token}"
        elif user is not None:
            password = os.environ.get(self.password_env, self._url_password or "")
            pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {pair}"
        return headers

    def _context(self) -> ssl.SSLContext | None:
        if not self.url.startswith("https:"):
            return None
        context = ssl.create_default_context()  # the system's CA certificates
        if self.insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def query_range(self, query: str, start: float, end: float, step: float) -> JsonSource:
        """The response to one range query, as a positioned JSON document."""
        params = {"query": query, "start": f"{start:.3f}", "end": f"{end:.3f}", "step": f"{step:g}"}
        body, url = self.post("/api/v1/query_range", params)
        return JsonSource(self.text_of(body, url), f"{url} ({query})")

    def post(self, path: str, params: dict[str, str] | list[tuple[str, str]]) -> tuple[bytes, str]:
        """POST ``params`` form-encoded (as Grafana does, so a long query never hits a URL
        limit) to ``path``; the answer's bytes and the URL, for messages."""
        url = f"{self.url}{path}"
        data = urllib.parse.urlencode(params).encode("ascii")
        request = urllib.request.Request(url, data=data, headers=self._headers(), method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        return self._fetch(request, url), url

    @staticmethod
    def text_of(body: bytes, url: str) -> str:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise ImportInputError("the answer is not UTF-8 JSON", url) from None

    def _fetch(self, request: urllib.request.Request, url: str) -> bytes:
        try:
            with urllib.request.urlopen(
                request, timeout=self.timeout, context=self._context()
            ) as answer:
                return answer.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, url) from None
        except urllib.error.URLError as exc:
            raise ImportInputError(_reason(exc.reason, self), url) from None
        except TimeoutError:
            raise ImportInputError(
                f"no answer within {self.timeout:g} s; raise --timeout or narrow the query", url
            ) from None
        except (OSError, ValueError) as exc:
            raise ImportInputError(f"cannot fetch: {exc}", url) from None

    def _http_error(self, exc: urllib.error.HTTPError, url: str) -> ImportInputError:
        if exc.code in (401, 403):
            how = (
                f"check --user and {self.password_env}, or {self.token_env}"
                if self.user or self._url_user or os.environ.get(self.token_env)
                else f"give --user (password in {self.password_env}) or set {self.token_env}"
            )
            return ImportInputError(f"HTTP {exc.code} {exc.reason}: not allowed; {how}", url)
        try:
            detail = self.error_detail(exc.read(1 << 20).decode("utf-8", "replace"))
        except OSError:
            detail = ""
        detail = detail.removeprefix(f"{exc.code}: ")  # VictoriaMetrics' errorType is the code
        return ImportInputError(f"HTTP {exc.code} {exc.reason}{detail and ': '}{detail}", url)

    def error_detail(self, body: str) -> str:
        """What the server said in an error's body: Prometheus and InfluxDB explain a bad
        query in JSON (``errorType``, ``error``), others in a line of text."""
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if isinstance(answer, dict) and "error" in answer:
            kind = answer.get("errorType")
            return f"{kind}: {answer['error']}" if kind else str(answer["error"])
        line = body.strip().split("\n", 1)[0]
        if answer is not None or line.startswith("<"):  # other JSON, or a proxy's HTML page
            return ""
        return line if len(line) <= 300 else line[:300] + "…"


def _reason(reason: object, server: PromServer) -> str:
    if isinstance(reason, ssl.SSLCertVerificationError):
        return (
            f"TLS certificate not trusted ({reason.verify_message}); install the CA in the "
            "system store, or pass --insecure to skip the check (not for production)"
        )
    if isinstance(reason, TimeoutError):
        return f"no answer within {server.timeout:g} s; raise --timeout or narrow the query"
    if isinstance(reason, ConnectionRefusedError):
        return f"connection refused: is {server.product} running there (host and port right)?"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason.strerror})"
    return f"cannot connect: {reason}"
