"""Reading a referral out of an ECF case response, in either generation: the case, its
court, judge and hearings, the charges and their domestic-violence indicator, and the
fields a vendor extension adds (plea, referral date, notes). A generation says where
these sit in `ReferralNames`; the people are read by `ecf_parties`.

No name, date of birth or contact value ever goes into an error or a warning: both end up
in logs and quarantine sidecars.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lxml import etree
from lxml.etree import _Element as Element
from pydantic import ValidationError

from adapters.code_lists import PartyRole
from adapters.courts.ecf_parties import (
    PartyReading,
    allowed_date,
    display_name,
    first_of,
    in_date_forms,
)
from adapters.courts.ecf_status import RECEIVED_CODE
from adapters.courts.vendor_extension import VendorFields, find_vendor_fields
from adapters.courts.xml_settings import XmlFormatSettings
from adapters.courts.xml_template import find_anywhere, local_name, where
from adapters.dates import DateReading
from adapters.errors import AdapterError
from adapters.registry import describe
from adapters.xml.hardened import validate
from adapters.xml.reading import MissingField, XmlReader
from domain.referral import Charge, CourtReference, Hearing, Participant, Referral, Victim

STATUTE = "j:ChargeStatute/j:StatuteCodeIdentification/nc:IdentificationID"
CHARGE_DESCRIPTION = ("j:ChargeDescriptionText", "j:ChargeStatute/j:StatuteDescriptionText")
SEVERITY = (
    "j:ChargeSeverityText",
    "j:ChargeSeverityLevel/j:SeverityLevelDescriptionText",
    "j:ChargeSeverityLevel/j:SeverityLevelCode",
)
HEARING_TIME = ("nc:ActivityDate", "nc:ActivityDateRange/nc:StartDate")
HEARING_PURPOSE = ("nc:ActivityDescriptionText", "nc:ActivityName", "nc:ActivityCategoryText")
JUDGE_PERSON = ("nc:RoleOfPerson", "nc:RoleOfPersonReference")


@dataclass(frozen=True)
class ReferralNames:
    """Where a generation keeps the referral's parts; paths use the vocabulary's prefixes."""

    message: str
    case: str
    docket: tuple[str, ...]
    court: tuple[str, ...]
    """Relative to the case, then to the message."""
    judge: str
    participants: str
    person: tuple[str, ...]
    """Where a participant holds (or refers to) its person."""
    role_code: tuple[str, ...]
    """Relative to the participant, then to its person."""
    charges: tuple[str, ...]
    offense_date: tuple[str, ...]
    dv_indicator: tuple[str, ...]
    hearings: tuple[str, ...]


def read_referral(
    root: Element,
    ns: Mapping[str, str],
    names: ReferralNames,
    settings: XmlFormatSettings,
    jurisdiction: str,
) -> Referral:
    """The referral in `root`, bare or in any envelope, checked against the
    jurisdiction's schema when the settings name one."""
    message = find_anywhere(root, names.message, ns)
    schema = settings.xml_schema()
    if schema is not None:
        # The message, not the document: it may sit in a SOAP or vendor envelope.
        validate(message, schema)
    reading = ReferralReading(root, message, ns, names, settings)
    try:
        return reading.referral(jurisdiction)
    except ValidationError as e:
        raise AdapterError(f"the referral has invalid fields: {describe(e)}") from e


class ReferralReading:
    """One referral message read once; every warning lands in `reader.warnings`."""

    def __init__(
        self,
        root: Element,
        message: Element,
        ns: Mapping[str, str],
        names: ReferralNames,
        settings: XmlFormatSettings,
    ) -> None:
        self.reader = XmlReader(root, ns)
        self.names = names
        self.settings = settings
        self.message = message
        case = self.reader.first(self.message, names.case)
        if case is None:
            raise MissingField(
                f"the {local_name(names.message)} holds no {names.case}"
                f"{_court_error(self.reader, self.message)}"
            )
        self.case = case
        self.people = PartyReading(self.reader, case, names, settings)

    @property
    def warnings(self) -> list[str]:
        return self.reader.warnings

    def referral(self, jurisdiction: str) -> Referral:
        case_number = self.reader.first_text(self.case, self.names.docket)
        if case_number is None:
            raise MissingField(
                f"the case docket number is missing or empty (expected {self.names.docket[0]} "
                f"in {where(self.case)})"
            )
        people = self.people
        parties = people.parties()
        defendant = people.one(parties, PartyRole.DEFENDANT)
        victim = people.one(parties, PartyRole.VICTIM)
        vendor = self._vendor()
        charges = self._charges(vendor)
        referred = vendor.day("referred_on", "referral date")
        participant, participant_contact = people.person(defendant), people.contact(defendant)
        victim_person, victim_contact = people.person(victim), people.contact(victim)
        return Referral(
            jurisdiction=jurisdiction,
            court=CourtReference(
                court_id=self._court_id(),
                case_number=case_number,
                judge=self._judge(),
                hearings=self._hearings(),
            ),
            participant=Participant(
                **participant._asdict(),
                phone=participant_contact.phone,
                email=participant_contact.email,
            ),
            victim=Victim(**victim_person._asdict(), contact=victim_contact),
            support_people=people.support_people(parties),
            charges=charges,
            plea=vendor.plea(),
            referred_on=referred.day if referred else None,
            notes=vendor.text("notes") or "",
            warnings=self.warnings,
        )

    # -- court -------------------------------------------------------------------------

    def _court_id(self) -> str:
        found = self.reader.first_text(self.case, self.names.court) or self.reader.first_text(
            self.message, self.names.court
        )
        found = found or self.settings.court_id
        if found is None:
            raise MissingField(
                f"the court id is missing or empty (expected {self.names.court[0]} in "
                f"{where(self.case)}) and the format settings have no court_id"
            )
        return found

    def _judge(self) -> str | None:
        judge = self.reader.first(self.case, self.names.judge)
        if judge is None:
            return None
        person = first_of(self.reader, judge, JUDGE_PERSON)
        return display_name(self.reader, judge if person is None else person)

    def _hearings(self) -> list[Hearing]:
        hearings = []
        for n, event in enumerate(self._all(self.names.hearings), start=1):
            reading = self._date(event, HEARING_TIME, f"hearing {n}")
            if reading is None:
                continue
            if reading.at is None:
                self.warnings.append(
                    f"hearing {n}: given as a {reading.precision} without a time; not mapped"
                )
                continue
            purpose = self.reader.first_text(event, HEARING_PURPOSE) or ""
            hearings.append(Hearing(at=reading.at, purpose=purpose))
        return hearings

    # -- charges -----------------------------------------------------------------------

    def _charges(self, vendor: VendorFields) -> list[Charge]:
        found = self._all(self.names.charges)
        if not found:
            raise MissingField(
                f"the case has no charge (expected {self.names.charges[0]} in {where(self.case)})"
            )
        dv = self._domestic_violence(vendor)
        vendor_severity = vendor.text("severity")
        fields = (STATUTE, *CHARGE_DESCRIPTION, *SEVERITY, *self.names.offense_date)
        severities = len(CHARGE_DESCRIPTION) + len(SEVERITY)
        charges = []
        for n, charge in enumerate(found, start=1):
            # One XPath evaluation per charge: a busy docket has dozens (bench/adapters.py).
            statute, *rest = self.reader.strings(charge, fields)
            if statute is None:
                raise self.reader.missing(charge, STATUTE, f"charge {n} statute")
            description = _first(rest[: len(CHARGE_DESCRIPTION)])
            severity = _first(rest[len(CHARGE_DESCRIPTION) : severities])
            what = f"charge {n} offense date"
            before = len(self.reader.warnings)
            offense = in_date_forms(
                self.reader,
                self.settings,
                self.reader.date_of(_first(rest[severities:]), what),
                what,
                before,
            )
            charges.append(
                Charge(
                    statute=statute,
                    description=description or "",
                    severity=severity or vendor_severity,
                    offense_date=offense.day if offense else None,
                    domestic_violence=dv,
                )
            )
        return charges

    def _domestic_violence(self, vendor: VendorFields) -> bool:
        indicator = None
        for path in self.names.dv_indicator:
            indicator = self.reader.flag(self.case, path, "domestic-violence indicator")
            if indicator is not None:
                break
        from_vendor = vendor.flag("domestic_violence", "vendor domestic-violence flag")
        if indicator is not None and from_vendor is not None and indicator != from_vendor:
            self.warnings.append(
                "the domestic-violence indicator and the vendor's flag disagree; "
                "the indicator is used"
            )
        found = indicator if indicator is not None else from_vendor
        if found is None:
            self.warnings.append(
                "the case has no domestic-violence indicator; read as domestic violence, "
                "as the case was referred for domestic-violence diversion"
            )
            return True
        return found

    # -- vendor extension --------------------------------------------------------------

    def _vendor(self) -> VendorFields:
        extension = self.settings.vendor_extension
        scopes = (self.case, self.message)
        vendor = find_vendor_fields(self.reader, extension, scopes, self._vendor_day)
        if extension is not None and extension.fields and vendor.element is None:
            self.warnings.append(
                f"the vendor's {extension.element} ({extension.namespace}) is absent; "
                "its fields are unset"
            )
        return vendor

    def _vendor_day(self, vendor: Element, path: str, what: str) -> DateReading | None:
        return self._date(vendor, (path,), what)

    # -- helpers -----------------------------------------------------------------------

    def _date(self, el: Element, paths: Iterable[str], what: str) -> DateReading | None:
        return allowed_date(self.reader, self.settings, el, paths, what)

    def _all(self, paths: Iterable[str]) -> list[Element]:
        """Every element under any of `paths` in the case, in path order."""
        return [found for path in paths for found in self.reader.all(self.case, path)]


def _first(values: Iterable[str | None]) -> str | None:
    return next((v for v in values if v is not None), None)


def _court_error(reader: XmlReader, message: Element) -> str:
    """The court's own error code, when a response carries no case because of one."""
    for code in message.iter():
        if isinstance(code.tag, str) and etree.QName(code).localname in (
            "ErrorCode",
            "ErrorCodeText",
        ):
            value = reader.text(code)
            if value not in (None, RECEIVED_CODE):
                return f" (the court answered with error code {value!r})"
    return ""
