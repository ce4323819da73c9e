"""Starting the app safely: launch settings that refuse an open address without accounts, check
the Host header and add security headers; the bundled sample made into a project once; the
model and clustering code warmed up while the first page is read."""

from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path
from typing import Any

from app.page import PAGE_CSS, PAGE_HEAD, SAMPLE_PROJECT
from app.web_security import middleware
from themes import AnalysisConfig, make_embedder
from themes.analysis.cache import EmbeddingCache
from themes.analysis.workspace import survey_from_path
from themes.project_ops import create_project
from themes.review.access import Authenticator, parse_accounts
from themes.review.store import ProjectStore


def _console(message: str, fraction: float) -> None:
    print(f"  [{fraction * 100:5.1f}%] {message}", flush=True)


def ensure_sample_project(
    store: ProjectStore, data_file: Path, config: AnalysisConfig, framework: str
) -> str:
    """The bundled sample as a project (made once, analysed from cache after the first start)."""
    for info in store.projects():
        if info.name == SAMPLE_PROJECT and info.source == data_file.name:
            return info.id
    survey, _ = survey_from_path(data_file)
    info = create_project(
        store,
        survey,
        SAMPLE_PROJECT,
        framework=framework,
        embedder=make_embedder(config.model, config.batch_size),
        user="themes",
        config=config,
        cache=EmbeddingCache(),
        progress=_console,
    )
    return info.id


def warm_up_model(embedder: Any) -> None:
    """Load the model and compile the clustering code (run in a thread while the page loads)."""
    from themes.analysis.discover import warm_up

    embedder.embed(["Warming up the model."])
    print(f"Ready for new analyses (warm-up took {warm_up():.0f} s)", flush=True)


def launch_options(host: str) -> dict[str, Any]:
    """Safe launch settings. Anything but loopback needs accounts (THEMES_USERS='name:password'
    or 'name:password:admin', comma-separated; passwords of 12 characters or more), the host
    names people use (THEMES_ALLOWED_HOSTS), and should have TLS (THEMES_TLS_CERT and
    THEMES_TLS_KEY, PEM files) unless a proxy in front provides it. Accounts on loopback turn
    sign-in on there too."""
    options: dict[str, Any] = dict(
        css=PAGE_CSS,
        head=PAGE_HEAD,
        server_name=host,
        share=False,
        run_history=False,
        max_file_size="200mb",
        footer_links=[],
        show_error=False,
    )
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    try:
        accounts = parse_accounts(os.environ.get("THEMES_USERS", ""))
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    if not loopback and not accounts:
        raise SystemExit(
            f"Refusing to listen on {host} without authentication. Set THEMES_USERS="
            "'name:password' (comma-separate several; add ':admin' for an administrator), or use "
            "--host 127.0.0.1."
        )
    if accounts:

        def refused(name: str, why: str) -> None:
            ProjectStore().record(name or "(no name)", "sign-in refused", detail=why)

        options["auth"] = Authenticator(accounts, on_failure=refused)
        options["auth_message"] = "Sign in with the name and password your administrator gave you."
    cert, key = os.environ.get("THEMES_TLS_CERT", ""), os.environ.get("THEMES_TLS_KEY", "")
    if bool(cert) != bool(key):
        raise SystemExit("Set both THEMES_TLS_CERT and THEMES_TLS_KEY (PEM files), or neither.")
    for path in (cert, key):
        if path and not Path(path).is_file():
            raise SystemExit(f"The TLS file {path!r} does not exist.")
    if cert:
        options["ssl_certfile"], options["ssl_keyfile"] = cert, key
    elif not loopback:
        print(
            "Warning: serving over plain HTTP; passwords and answers cross the network unencrypted "
            "unless a proxy in front adds HTTPS. Set THEMES_TLS_CERT and THEMES_TLS_KEY to serve "
            "HTTPS directly.",
            file=sys.stderr,
        )
    options["app_kwargs"] = {"middleware": middleware(host, loopback)}
    return options
