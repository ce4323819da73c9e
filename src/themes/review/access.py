"""Who may do what, when the app serves several people (network mode, with sign-in).

Accounts come from ``THEMES_USERS='name:password[:admin],...'``. Each project has an owner (whoever
created it) and may be shared with reviewers (can edit and export) and viewers (can read). An
admin may do everything. Without sign-in (the app on loopback, or the command line) there is one
local user, who may do everything.

Sign-in is throttled: after ``LoginThrottle.free`` wrong passwords for a name within a quarter of
an hour, that name is locked for a time that doubles with each further failure.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from themes.core.errors import AccessError

MIN_PASSWORD = 12


class Role(StrEnum):
    OWNER = "owner"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


# What each role may do to a project.
ALLOWED: Mapping[str, frozenset[Role]] = {
    "view": frozenset(Role),
    "edit": frozenset({Role.OWNER, Role.REVIEWER}),
    "export": frozenset({Role.OWNER, Role.REVIEWER}),
    "delete": frozenset({Role.OWNER}),
    "share": frozenset({Role.OWNER}),
}
WORDS = {
    "view": "open",
    "edit": "change",
    "export": "export or report on",
    "delete": "delete",
    "share": "share",
}


@dataclass(frozen=True)
class Account:
    name: str
    password: str
    admin: bool = False


def parse_accounts(spec: str) -> dict[str, Account]:
    """'ana:long-password:admin,bo:another-password' -> accounts; weak settings are refused
    with a message that names the account (never the password)."""
    accounts: dict[str, Account] = {}
    for entry in (e for e in spec.split(",") if e.strip()):
        parts = entry.strip().split(":")
        if len(parts) < 2 or not parts[0].strip():
            raise ValueError(
                f"THEMES_USERS entry {parts[0].strip()!r} must be 'name:password' or "
                "'name:password:admin'."
            )
        admin = len(parts) > 2 and parts[-1].strip().lower() == "admin"
        name = parts[0].strip()
        password = ":".join(parts[1:-1] if admin else parts[1:])
        if len(password) < MIN_PASSWORD or password.strip().lower() == name.lower():
            raise ValueError(
                f"The password for {name!r} in THEMES_USERS is too weak: use at least "
                f"{MIN_PASSWORD} characters, not the user name."
            )
        if name in accounts:
            raise ValueError(f"THEMES_USERS names {name!r} twice.")
        accounts[name] = Account(name, password, admin)
    return accounts


@dataclass
class LoginThrottle:
    """Wrong passwords per name; ``check`` says whether a sign-in may be tried now."""

    free: int = 5
    window: float = 15 * 60
    base_lock: float = 30.0
    max_lock: float = 15 * 60
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _locked_until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allowed(self, name: str) -> bool:
        with self._lock:
            return self.clock() >= self._locked_until.get(name, 0.0)

    def failed(self, name: str) -> None:
        with self._lock:
            now = self.clock()
            recent = [t for t in self._failures.get(name, []) if now - t < self.window] + [now]
            self._failures[name] = recent
            beyond = len(recent) - self.free
            if beyond >= 0:
                self._locked_until[name] = now + min(self.max_lock, self.base_lock * 2**beyond)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)
            self._locked_until.pop(name, None)


class Authenticator:
    """The sign-in check given to the web server: constant-time comparison, throttled, and every
    refusal recorded through ``on_failure``."""

    def __init__(
        self,
        accounts: Mapping[str, Account],
        throttle: LoginThrottle | None = None,
        on_failure: Callable[[str, str], None] | None = None,
    ) -> None:
        self.accounts = dict(accounts)
        self.throttle = throttle or LoginThrottle()
        self.on_failure = on_failure or (lambda name, why: None)

    def __call__(self, name: str, password: str) -> bool:
        name = (name or "").strip()
        if not self.throttle.allowed(name):
            self.on_failure(name, "locked after repeated wrong passwords")
            return False
        account = self.accounts.get(name)
        expected = account.password if account else "\0" * MIN_PASSWORD
        good = hmac.compare_digest(expected.encode(), (password or "").encode())
        if good and account is not None:
            self.throttle.succeeded(name)
            return True
        self.throttle.failed(name)
        self.on_failure(name, "wrong name or password")
        return False


def role_of(owner: str, members: Mapping[str, str], user: str, admin: bool = False) -> Role | None:
    """A user's role on a project: admins and the creator own it; others as it was shared."""
    if admin or user == owner:
        return Role.OWNER
    role = members.get(user)
    return Role(role) if role else None


def check(
    action: str,
    project_name: str,
    owner: str,
    members: Mapping[str, str],
    user: str | None,
    admin: bool = False,
) -> None:
    """Refuse ``action`` unless the user's role allows it. ``user`` None: no sign-in, allowed."""
    if user is None:
        return
    role = role_of(owner, members, user, admin)
    if role is not None and role in ALLOWED[action]:
        return
    if action in ("delete", "share"):
        raise AccessError(
            f"You ({user}) cannot {WORDS[action]} the project '{project_name}': only its owner "
            f"({owner}) or an administrator can."
        )
    held = f"you are a {role.value} of it" if role else "it has not been shared with you"
    raise AccessError(
        f"You ({user}) cannot {WORDS[action]} the project '{project_name}': {held}. Ask its "
        f"owner ({owner}) to share it with you as a "
        f"{'reviewer' if action in ('edit', 'export') else 'viewer'}."
    )
