"""A court's JSON API over HTTPS.

[jurisdictions.<id>.court.settings.transport]
base_url = "https://api.court.example/v1"
filings_path = "/filings"                          # POST a filing here
case_path = "/courts/{court_id}/cases/{case_number}"  # GET a case; only these two names
# ... and the shared HTTP settings (adapters.http.settings): OAuth2, mutual TLS, retries.

URLs are built from the court id and case number alone (URL-encoded), never from
anything else a case holds: see `adapters.http.client` on personal data in URLs.

Filing reference: the `Location` header of the court's answer, else its body's
`court_reference`, else `rest:<idempotency key>`.

A court that only receives a filing (its answer `{"accepted": false, "pending": true}`)
decides later; the case asks `GET <status_path>` (default `/filings/{court_reference}`,
the reference URL-encoded; a `Location` reference under `base_url` is asked as it is)
on the policy's cadence, and the format reads the answer as it reads the filing's.

A resend after a timeout carries the same `Idempotency-Key`. A 409 answer to it counts
as "already filed" only when its body says so, exactly:

    {"status": "already_filed", "idempotency_key": "<the key we sent>",
     "court_reference": "..."}                      # court_reference optional

because a 409 also means "a request with this key is still in progress" (the IETF
Idempotency-Key draft) or a conflict about something else, and treating those as filed
would drop a report. Any other 409 is an `AdapterError`, so the activity retries.
"""

import json
from typing import ClassVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, field_validator

from adapters.courts.base import CaseQuery, CourtTransport, FilingDocument, SentFiling, StatusQuery
from adapters.errors import AdapterError
from adapters.http.client import HttpClient, HttpClock
from adapters.http.settings import HttpApiSettings, template_fields

CASE_PATH_NAMES = frozenset({"court_id", "case_number"})
ALREADY_FILED = "already_filed"


class RestCourtSettings(HttpApiSettings):
    filings_path: str = "/filings"
    case_path: str = "/cases/{case_number}"
    status_path: str = "/filings/{court_reference}"

    @field_validator("filings_path")
    @classmethod
    def _plain_path(cls, path: str) -> str:
        if not path.startswith("/") or any(c in path for c in "{}#"):
            raise ValueError("must be a path starting with '/', without placeholders")
        return path

    @field_validator("status_path")
    @classmethod
    def _status_template(cls, path: str) -> str:
        if not path.startswith("/") or "#" in path:
            raise ValueError("must be a path starting with '/'")
        for name, bare in template_fields(path):
            if name != "court_reference" or not bare:
                raise ValueError(f"may hold only {{court_reference}}, not {{{name}}}")
        return path

    @field_validator("case_path")
    @classmethod
    def _case_template(cls, path: str) -> str:
        if not path.startswith("/") or "#" in path:
            raise ValueError("must be a path starting with '/'")
        for name, bare in template_fields(path):
            if name not in CASE_PATH_NAMES or not bare:
                raise ValueError(
                    f"may hold only {{court_id}} and {{case_number}}, not {{{name}}}: a URL "
                    "must carry no personal data"
                )
        return path


class RestCourtTransport(CourtTransport):
    name: ClassVar[str] = "rest"
    Settings: ClassVar[type[BaseModel]] = RestCourtSettings

    def __init__(self, settings: RestCourtSettings, *, clock: HttpClock | None = None) -> None:
        super().__init__(settings)
        self.settings: RestCourtSettings = settings
        self.http = HttpClient(settings, peer="the court", clock=clock or HttpClock())

    async def send_filing(self, document: FilingDocument) -> SentFiling:
        key = document.idempotency_key
        response = await self.http.request(
            "POST",
            self.settings.base_url + self.settings.filings_path,
            content=document.content,
            headers={"Content-Type": document.content_type, "Accept": "application/json"},
            idempotency_key=key,
            accept_statuses=(409,),
        )
        if response.status_code == 409:
            if not _already_filed(response, key):
                raise AdapterError(
                    "the court answered HTTP 409 without saying this filing is already filed "
                    "(status already_filed and our idempotency_key); will try again"
                )
            return SentFiling(reference=_reference(response, key))
        return SentFiling(reference=_reference(response, key), reply=response.content or None)

    async def pull_case(self, query: CaseQuery) -> bytes | None:
        path = self.settings.case_path.format(
            court_id=quote(query.court_id, safe=""), case_number=quote(query.case_number, safe="")
        )
        response = await self.http.request(
            "GET",
            self.settings.base_url + path,
            headers={"Accept": "application/json"},
            accept_statuses=(404,),
        )
        if response.status_code == 404:
            return None  # the court has no such case (or not for us)
        return response.content

    async def filing_status(self, query: StatusQuery) -> bytes | None:
        court_reference = query.court_reference
        if court_reference.startswith(self.settings.base_url + "/"):
            url = court_reference  # the court's own Location for the filing
        else:
            path = self.settings.status_path.format(court_reference=quote(court_reference, safe=""))
            url = self.settings.base_url + path
        response = await self.http.request("GET", url, headers={"Accept": "application/json"})
        return response.content

    async def aclose(self) -> None:
        await self.http.aclose()


def _reference(response: httpx.Response, key: str) -> str:
    location = response.headers.get("Location")
    if location:
        return str(location)
    given = _body(response).get("court_reference")
    return given if isinstance(given, str) and given else f"rest:{key}"


def _already_filed(response: httpx.Response, key: str) -> bool:
    body = _body(response)
    return body.get("status") == ALREADY_FILED and body.get("idempotency_key") == key


def _body(response: httpx.Response) -> dict[str, object]:
    """The body as a JSON object; empty when it is not one (a reference is optional)."""
    try:
        data = json.loads(response.content)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
