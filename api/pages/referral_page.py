"""The clerk's referral page: upload the court's document (read by the jurisdiction's
court adapter) or paste our JSON referral. It goes through the API's own referral path;
a document the adapter refuses is quarantined as through the API, and the page says why,
with the line and column."""

from typing import Any

from fastapi import APIRouter, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from api.access import REFER, caller_jurisdictions, named_jurisdiction
from api.pages.context import Found, PagesState, SignedIn, State, with_roles
from api.pages.errors import PageRoute
from api.pages.security import multipart_token_matches
from api.pages.templating import CSRF_FIELD
from api.problems import ProblemError, ProblemKind
from api.routes.referrals import create_referral
from domain.referral import Referral

router = APIRouter(route_class=PageRoute, include_in_schema=False)
XML = "application/xml"
BLANK = {"jurisdiction": "", "referral_json": ""}


@router.get("/court/referrals/new")
async def referral_form(request: Request, person: SignedIn, found: Found, state: State) -> Response:
    caller = await with_roles(person, REFER)
    return _page(request, state, caller_jurisdictions(caller, found), BLANK)


@router.post("/court/referrals/new")
async def refer(request: Request, person: SignedIn, found: Found, state: State) -> Response:
    caller = await with_roles(person, REFER)
    mine = caller_jurisdictions(caller, found)
    form = await request.form()
    if not multipart_token_matches(request.scope, form.get(CSRF_FIELD)):
        raise ProblemError(
            ProblemKind.FORBIDDEN,
            "this form has expired or did not come from this site: reload the page and try again",
        )
    chosen = str(form.get("jurisdiction") or "") or None
    text = str(form.get("referral_json") or "")
    upload = form.get("document")
    typed = {"jurisdiction": chosen or "", "referral_json": text}
    try:
        if isinstance(upload, UploadFile) and upload.filename:
            where = named_jurisdiction(chosen, caller, found, doing="refer cases")
            body = await upload.read()
            media = (upload.content_type or XML).split(";")[0].strip().lower()
            if media.endswith("json"):
                referral = Referral.model_validate_json(body)
            else:
                # Browsers name XML files text/xml or leave the type out: the adapter reads it.
                accepted = media if found.documents.accepts(where, media) else XML
                referral = await found.documents.read(where, body, accepted)
        elif text.strip():
            referral = Referral.model_validate_json(text)
        else:
            return _page(request, state, mine, typed, ["Choose a document, or paste a referral."])
        answer = await create_referral(referral, Response(), caller, found, None)
    except ValidationError as e:
        # Where and what, never the submitted values: a referral holds contact details.
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or 'referral'}: {err['msg']}"
            for err in e.errors(include_input=False)
        ]
        return _page(request, state, mine, typed, problems, status=422)
    except ProblemError as e:
        if e.kind in (ProblemKind.NOT_FOUND, ProblemKind.UPSTREAM_UNAVAILABLE):
            raise
        return _page(request, state, mine, typed, [_refusal(e)], status=e.kind.status)
    state.audit.record(caller.subject, "referred case", answer.case.case_id)
    return RedirectResponse(f"/court/cases/{answer.case.case_id}?done=referral", status_code=303)


def _refusal(e: ProblemError) -> str:
    where = ""
    if "line" in e.extensions:
        where = f" (line {e.extensions['line']}, column {e.extensions.get('column', '?')})"
    kept = e.extensions.get("quarantine_id")
    tail = f" The document is kept in quarantine as {kept} for correction." if kept else ""
    return f"{e.detail}{where}.{tail}"


def _page(
    request: Request,
    state: PagesState,
    jurisdictions: list[str],
    typed: dict[str, Any],
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    return state.templates.render(
        request,
        "referral.html",
        {"jurisdictions": jurisdictions, "typed": typed, "problems": problems or []},
        status=status,
    )
