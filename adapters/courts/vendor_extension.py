"""A court vendor's own augmentation of a case, for every XML court format: the fields
the standard lacks (plea, notes, referral date, severity, a domestic-violence flag), where
the court's settings map them (`vendor_extension`: the element, its namespace bound to
`VENDOR_PREFIX`, and a path per field). Paths are checked when the format loads, not on
the first referral.

A format finds the vendor's element (ECF also looks outside the case, in the message)
and says how it reads a date (its `date_forms`); reading the fields is the same.
"""

from collections.abc import Iterable

from lxml import etree
from lxml.etree import _Element as Element

from adapters.code_lists import code_key
from adapters.courts.xml_settings import VendorExtension
from adapters.dates import DateReading
from adapters.errors import AdapterConfigError
from adapters.xml.reading import DayReader, XmlReader
from domain.enums import Plea

VENDOR_PREFIX = "v"  # bound to settings.vendor_extension.namespace

# Plea codes as the courts we know write them, compared by `code_key`.
PLEAS: dict[str, Plea] = {
    **dict.fromkeys(["guilty", "g", "gp", "pg", "guilty plea", "plea of guilty"], Plea.GUILTY),
    **dict.fromkeys(
        ["no contest", "nolo contendere", "nolo", "nc", "no contest plea"], Plea.NO_CONTEST
    ),
    **dict.fromkeys(["not guilty", "ng", "png", "plea of not guilty"], Plea.NOT_GUILTY),
    **dict.fromkeys(["finding of guilt", "found guilty", "convicted", "fg"], Plea.FINDING_OF_GUILT),
    **dict.fromkeys(["none", "no plea", "not entered"], Plea.NONE),
}


class VendorFields:
    """The fields of the vendor's element, where the court's settings name them; None for
    each when the settings name no extension or the case has no such element."""

    def __init__(
        self,
        reader: XmlReader,
        extension: VendorExtension | None,
        element: Element | None,
        read_day: DayReader,
    ) -> None:
        self.reader = reader
        self.fields = extension.fields if extension else {}
        self.element = element
        self.read_day = read_day

    def _path(self, field: str) -> str | None:
        return None if self.element is None else self.fields.get(field)

    def text(self, field: str) -> str | None:
        path = self._path(field)
        return None if path is None else self.reader.text(self.element, path)

    def flag(self, field: str, what: str | None = None) -> bool | None:
        path = self._path(field)
        if path is None:
            return None
        return self.reader.flag(self.element, path, what or f"vendor {field}")

    def plea(self) -> Plea:
        """The plea; an unknown code is a warning quoting it (a code, not a person's data)
        and no plea, for staff to enter."""
        code = self.text("plea")
        if code is None:
            return Plea.NONE
        plea = PLEAS.get(code_key(code))
        if plea is None:
            self.reader.warnings.append(f"plea code {code!r} is not a known plea; left as none")
            return Plea.NONE
        return plea

    def day(self, field: str, what: str | None = None) -> DateReading | None:
        path = self._path(field)
        if path is None or self.element is None:
            return None
        return self.read_day(self.element, path, what or f"vendor {field}")


def find_vendor_fields(
    reader: XmlReader,
    extension: VendorExtension | None,
    scopes: Iterable[Element],
    read_day: DayReader,
) -> VendorFields:
    """The vendor's fields, from its element under the first of `scopes` that holds one."""
    element = None
    if extension is not None and extension.fields:
        path = f".//{VENDOR_PREFIX}:{extension.element}"
        element = next((f for f in (reader.first(s, path) for s in scopes) if f is not None), None)
    return VendorFields(reader, extension, element, read_day)


def with_vendor_namespace(ns: dict[str, str], extension: VendorExtension | None) -> dict[str, str]:
    """A copy of `ns` with the vendor's namespace bound to `VENDOR_PREFIX`; an unusable
    vendor path is refused here, when the format loads."""
    if extension is None:
        return dict(ns)
    bound = {**ns, VENDOR_PREFIX: extension.namespace}
    probe = etree.Element("probe")
    paths = {"element": f"{VENDOR_PREFIX}:{extension.element}"}
    paths.update({f"fields.{field}": path for field, path in extension.fields.items()})
    for setting, path in paths.items():
        try:
            probe.find(path, bound)
        except (SyntaxError, KeyError) as e:
            raise AdapterConfigError(
                f"vendor_extension.{setting}: {path!r} is not a usable path: {e}"
            ) from None
    return bound
