"""A court vendor's own augmentation of a niem case: the fields NIEM lacks (plea, notes,
referral date, severity, a domestic-violence flag), where the court's settings map them
(`vendor_extension`: the element, its namespace bound to `VENDOR_PREFIX`, and a path per
field). Paths are checked when the format loads, not on the first referral.
"""

from collections.abc import Sequence

from lxml import etree
from lxml.etree import _Element as Element

from adapters.courts.niem_hearings import read_day
from adapters.courts.xml_settings import VendorExtension
from adapters.dates import DateReading, Precision
from adapters.errors import AdapterConfigError
from adapters.xml.reading import XmlReader

VENDOR_PREFIX = "v"  # bound to settings.vendor_extension.namespace


class VendorFields:
    """A vendor's own augmentation of the case, where the court's settings name one."""

    def __init__(
        self,
        reader: XmlReader,
        extension: VendorExtension | None,
        case: Element,
        forms: Sequence[Precision],
    ) -> None:
        self.reader = reader
        self.forms = forms
        self.fields = extension.fields if extension else {}
        self.element = (
            reader.first(case, f".//{VENDOR_PREFIX}:{extension.element}") if extension else None
        )

    def _path(self, field: str) -> str | None:
        return None if self.element is None else self.fields.get(field)

    def text(self, field: str) -> str | None:
        path = self._path(field)
        return None if path is None else self.reader.text(self.element, path)

    def flag(self, field: str) -> bool | None:
        path = self._path(field)
        return None if path is None else self.reader.flag(self.element, path, f"vendor {field}")

    def day(self, field: str) -> DateReading | None:
        path = self._path(field)
        if path is None:
            return None
        return read_day(self.reader, self.forms, self.element, path, f"vendor {field}")


def check_vendor_paths(extension: VendorExtension, ns: dict[str, str]) -> None:
    """Refuse an unusable vendor path at load time, not on the first referral."""
    probe = etree.Element("probe")
    paths = {"element": f"{VENDOR_PREFIX}:{extension.element}"}
    paths.update({f"fields.{field}": path for field, path in extension.fields.items()})
    for setting, path in paths.items():
        try:
            probe.find(path, ns)
        except (SyntaxError, KeyError) as e:
            raise AdapterConfigError(
                f"vendor_extension.{setting}: {path!r} is not a usable path: {e}"
            ) from None
