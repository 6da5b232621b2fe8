"""Hearings in the niem court format, and the date reading they rest on.

Two documents schedule hearings: a case initiation lists the case's `j:CaseCourtEvent`s,
and a court event document (`exch-event:CourtEventExchange`) brings `j:CourtEvent`s for
a docket we already hold. Both read a hearing the same way, so it lives here once; the
case initiation mapping (`niem_case`, `niem_parties`) and the format (`niem_format`)
build on this module, which depends on none of them.

Dates are read in any NIEM form, but only in the forms the court's settings accept
(`date_forms`). `where`, the element-and-line every niem message names, is here because
this is the module the others import from.
"""

from collections.abc import Sequence
from datetime import datetime, time

from lxml import etree
from lxml.etree import _Element as Element

from adapters.dates import BadDate, DateReading, Precision, read_date
from adapters.errors import AdapterError
from adapters.xml.reading import MissingField, XmlReader
from domain.referral import Hearing

PURPOSE = ("nc:ActivityDescriptionText", "nc:ActivityName", "nc:ActivityCategoryText")


class UnreadableHearing(AdapterError):
    """A hearing that cannot be placed in time."""


def read_court_event(
    reader: XmlReader, exchange: Element, forms: Sequence[Precision]
) -> tuple[str, list[Hearing]]:
    """The docket a court event document is for, and the hearings it schedules.

    An event without a usable date is an error rather than a warning: a hearing dropped
    silently is a missed court date.
    """
    events = reader.all(exchange, "j:CourtEvent")
    if not events:
        raise AdapterError(f"the court event document has no j:CourtEvent ({where(exchange)})")
    dockets: set[str] = set()
    hearings: list[Hearing] = []
    for n, event in enumerate(events, start=1):
        what = f"court event {n}"
        case = reader.first(event, "j:CourtEventCase")
        if case is None:
            raise MissingField(f"{what} has no j:CourtEventCase naming its docket ({where(event)})")
        dockets.add(reader.required(case, "nc:CaseDocketID", f"{what} docket number"))
        hearings.append(read_hearing(reader, forms, event, what))
    if len(dockets) > 1:
        raise AdapterError(
            f"the court events name {len(dockets)} different dockets; "
            "one court event document is for one docket"
        )
    return dockets.pop(), hearings


def read_hearing(
    reader: XmlReader, forms: Sequence[Precision], event: Element, what: str
) -> Hearing:
    """One court event as a hearing; a date without a time of day reads as the start of
    that day. `UnreadableHearing` when it cannot be placed in time."""
    purpose = reader.first_text(event, PURPOSE)
    return Hearing(at=_hearing_time(reader, forms, event, what), purpose=purpose or "")


def _hearing_time(
    reader: XmlReader, forms: Sequence[Precision], event: Element, what: str
) -> datetime:
    mark = len(reader.warnings)
    schedule = reader.first(event, "j:CourtEventSchedule")
    reading = (
        read_day(reader, forms, event, "nc:ActivityDate", what)
        or read_day(reader, forms, event, "nc:ActivityDateRepresentation", what)
        or read_day(reader, forms, schedule, "nc:ScheduleDate", what)
    )
    if reading is None:
        raise UnreadableHearing(
            f"{what}: no usable date (expected nc:ActivityDate or "
            f"j:CourtEventSchedule/nc:ScheduleDate in {where(event)})"
        )
    if reading.at is not None:
        return reading.at
    if not reading.exact_day:
        del reader.warnings[mark:]  # "read as its first day" would contradict "left out"
        raise UnreadableHearing(f"{what}: the date is not a full day ({where(event)})")
    start = reader.text(schedule, "nc:ScheduleDayStartTime")
    if start is None:
        # A court date, not personal data: staff need it to check the hearing by hand.
        reader.warnings.append(f"{what}: no time of day; read as the start of {reading.day}")
        return datetime.combine(reading.day, time())
    try:
        instant = read_date(f"{reading.day.isoformat()}T{start}").at
    except BadDate:
        instant = None
    if instant is None:
        raise UnreadableHearing(
            f"{what}: nc:ScheduleDayStartTime is not a time of day "
            f"(hh:mm[:ss][offset]) ({where(event)})"
        )
    return instant


def read_day(
    reader: XmlReader, forms: Sequence[Precision], el: Element | None, path: str, what: str
) -> DateReading | None:
    """A date in any NIEM form, or None with a warning when the court's settings do not
    accept the form it came in (`date_forms`)."""
    mark = len(reader.warnings)
    reading = reader.date(el, path, what)
    if reading is None or reading.precision in forms:
        return reading
    del reader.warnings[mark:]  # "read as its first day" would contradict "left unset"
    reader.warnings.append(
        f"{what}: given as {reading.precision}, a form this court's settings do not accept; "
        "left unset"
    )
    return None


def where(el: Element) -> str:
    """The element and its line, for messages: never its content."""
    line = f" at line {el.sourceline}" if el.sourceline else ""
    return f"<{etree.QName(el).localname}>{line}"
