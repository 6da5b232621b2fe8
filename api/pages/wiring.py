"""The pages in the API's app: their routes, static files and guards (api/app.py calls
`install_pages` once, where it builds the app)."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import (
    admin,
    case_actions,
    court,
    inbox_page,
    referral_page,
    report_pages,
    sign_in,
    staff_case,
)
from api.pages.audit import AuditLog
from api.pages.context import PagesState
from api.pages.errors import html_for_page_paths, refusal_sender
from api.pages.security import PagesGuard
from api.pages.settings import (
    PagesSettings,
    check,
    cookies_secure,
    dev_picker_allowed,
    session_secret,
)
from api.pages.stage_counts import StageCounts
from api.pages.templating import STATIC, Pages
from diversion.settings import Settings


def install_pages(app: FastAPI, settings: Settings, config: PagesSettings | None = None) -> None:
    config = config or PagesSettings()
    check(config, settings)
    templates = Pages()
    app.state.pages = PagesState(
        settings=settings,
        config=config,
        templates=templates,
        audit=AuditLog(settings.data_dir / config.audit_file),
        oidc=sign_in.oidc_client(config),
        counts=StageCounts(),
        dev_identities=(
            sign_in.dev_identities(settings, settings.jurisdictions())
            if dev_picker_allowed(settings)
            else []
        ),
    )
    pages = (sign_in, inbox_page, staff_case, case_actions, court, referral_page, report_pages)
    for module in (*pages, admin):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    html_for_page_paths(app)
    app.add_middleware(
        PagesGuard,
        secret=session_secret(config, settings),
        idle_seconds=config.idle_minutes * 60,
        secure=cookies_secure(config, settings),
        refuse=refusal_sender(templates),
    )
