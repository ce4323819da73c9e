"""HTTP protections around the app: a strict Content-Security-Policy (nothing is loaded from, and
no form is sent to, another address) and a check of the Host header (the server half of DNS
rebinding: a page elsewhere cannot reach the app under its own name)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Gradio's page runs an inline start-up script and inline styles; everything else is its own.
POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
)
HEADERS = [
    (b"content-security-policy", POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
]
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
ENV_HOSTS = "THEMES_ALLOWED_HOSTS"


def _same_origin(scope: Scope) -> bool:
    """A request that names an Origin must come from the page's own origin: a page on another
    site, or on another port of this machine, may not drive the app (Gradio's own CORS lets any
    localhost origin in)."""
    headers = {name.decode("latin-1").lower(): value for name, value in scope["headers"]}
    origin = headers.get("origin")
    if origin is None:
        return True  # not sent by a browser page (the Python client, curl)
    netloc = urlsplit(origin.decode("latin-1")).netloc.lower()
    hosts = {headers.get(h, b"").decode("latin-1").lower() for h in ("host", "x-forwarded-host")}
    return bool(netloc) and netloc in hosts


class SecurityHeaders:
    """Adds ``HEADERS`` to every HTTP response (pure ASGI, so streamed responses work) and
    refuses cross-origin requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not _same_origin(scope):
            response = PlainTextResponse("Cross-origin request refused.", status_code=403)
            await response(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in HEADERS if name not in names
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


def allowed_hosts(host: str, loopback: bool) -> list[str]:
    """The Host names the app answers to: loopback names on loopback; otherwise those listed in
    THEMES_ALLOWED_HOSTS (required), plus the address it listens on when that is not a wildcard."""
    listed = [h.strip() for h in os.environ.get(ENV_HOSTS, "").split(",") if h.strip()]
    if loopback:
        return [*LOOPBACK_NAMES, *listed]
    if not listed:
        raise SystemExit(
            f"Listening on {host} needs the names people will use to reach it: set "
            f"{ENV_HOSTS}='themes.example.nhs.uk' (comma-separate several; the server's own "
            "address counts too). Requests naming any other host are refused."
        )
    own = [] if host in ("0.0.0.0", "::", "") else [host]
    return [*listed, *own, *LOOPBACK_NAMES]


def middleware(host: str, loopback: bool) -> list[Any]:
    """The middleware for Gradio's ``app_kwargs``."""
    return [
        Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(host, loopback)),
        Middleware(SecurityHeaders),
    ]
