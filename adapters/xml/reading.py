"""Reading mapped fields out of a parsed document, the same way in every XML format.

- An element that is present but empty (or only whitespace) reads as absent: courts
  send `<nc:PersonMiddleName/>` for "none" as often as they leave it out.
- Paths are ElementPath with the format's prefixes (`nc:PersonName/nc:PersonGivenName`).
- An element carrying a NIEM reference (`s:ref`, `structures:ref`, or the NIEM 2.0
  `s:ref` on a role) is resolved to the element with that id, so participants linked by
  reference read like participants written inline.
- Whatever cannot be mapped is added to `warnings` (kept raw on the referral), never
  raised, unless the field is required.
"""

from collections.abc import Iterable, Mapping

from lxml import etree
from lxml.etree import _Element as Element

from adapters.dates import BadDate, DateReading, read_date
from adapters.errors import AdapterError

# NIEM structures namespaces of every generation the formats read.
STRUCTURES = (
    "http://niem.gov/niem/structures/2.0",
    "http://release.niem.gov/niem/structures/3.0/",
    "http://release.niem.gov/niem/structures/4.0/",
    "http://release.niem.gov/niem/structures/5.0/",
)
_ID_ATTRS = tuple(f"{{{ns}}}id" for ns in STRUCTURES)
_REF_ATTRS = tuple(f"{{{ns}}}ref" for ns in STRUCTURES)
_URI_ATTRS = tuple(f"{{{ns}}}uri" for ns in STRUCTURES[1:])

# The NIEM date representations, as local names: any namespace generation.
DATE_FORMS = ("DateTime", "Date", "YearMonthDate", "YearDate", "DateRepresentation")


class MissingField(AdapterError):
    pass


class XmlReader:
    def __init__(self, root: Element, namespaces: Mapping[str, str]) -> None:
        self.root = root
        self.ns = dict(namespaces)
        self.warnings: list[str] = []
        self._ids: dict[str, Element] | None = None

    # -- elements ------------------------------------------------------------------------

    def first(self, el: Element, path: str) -> Element | None:
        found = el.find(path, self.ns)
        return None if found is None else self.resolve(found)

    def all(self, el: Element, path: str) -> list[Element]:
        return [self.resolve(found) for found in el.iterfind(path, self.ns)]

    def resolve(self, el: Element) -> Element:
        """The element `el` refers to, or `el` itself when it carries no reference."""
        ref = _attr(el, _REF_ATTRS) or _attr(el, _URI_ATTRS)
        if ref is None:
            return el
        target = self._index().get(ref.removeprefix("#"))
        if target is None:
            raise AdapterError(f"{_where(el)} refers to id {ref!r}, which the document lacks")
        return target

    def id_of(self, el: Element) -> str | None:
        return _attr(el, _ID_ATTRS)

    def _index(self) -> dict[str, Element]:
        if self._ids is None:
            self._ids = {}
            for el in self.root.iter():
                found = _attr(el, _ID_ATTRS)
                if found is not None:
                    self._ids[found] = el
        return self._ids

    # -- values --------------------------------------------------------------------------

    def text(self, el: Element | None, path: str | None = None) -> str | None:
        """Stripped text, None when absent or empty."""
        if el is not None and path is not None:
            el = el.find(path, self.ns)
        if el is None or el.text is None:
            return None
        value = el.text.strip()
        return value or None

    def required(self, el: Element, path: str, what: str) -> str:
        value = self.text(el, path)
        if value is None:
            raise MissingField(f"{what} is missing or empty (expected {path} in {_where(el)})")
        return value

    def first_text(self, el: Element, paths: Iterable[str]) -> str | None:
        for path in paths:
            value = self.text(el, path)
            if value is not None:
                return value
        return None

    def flag(self, el: Element, path: str, what: str) -> bool | None:
        value = self.text(el, path)
        if value is None:
            return None
        lowered = value.lower()
        if lowered in ("true", "1", "y", "yes"):
            return True
        if lowered in ("false", "0", "n", "no"):
            return False
        self.warnings.append(f"{what}: {value!r} is not a boolean; left unset")
        return None

    def date(self, el: Element | None, path: str | None, what: str) -> DateReading | None:
        """A date in any NIEM representation under `path` (or its own text); a bad one
        becomes a warning and None."""
        if el is not None and path is not None:
            el = el.find(path, self.ns)
        if el is None:
            return None
        text = self._date_text(el)
        if text is None:
            return None
        try:
            reading = read_date(text)
        except BadDate:
            self.warnings.append(f"{what}: not a date in any accepted form; left unset")
            return None
        if not reading.exact_day:
            # Not the value: a year of birth beside a name identifies a person.
            self.warnings.append(
                f"{what}: given as {reading.precision} only; read as its first day"
            )
        return reading

    def _date_text(self, el: Element) -> str | None:
        for child in el:
            if isinstance(child.tag, str) and etree.QName(child).localname in DATE_FORMS:
                nested = self._date_text(child)
                if nested is not None:
                    return nested
        return self.text(el)


def _attr(el: Element, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = el.get(name)
        if value:
            return str(value)
    return None


def _where(el: Element) -> str:
    line = f" at line {el.sourceline}" if el.sourceline else ""
    return f"<{etree.QName(el).localname}>{line}"
