"""Reading mapped fields out of a parsed document, the same way in every XML format.

- An element that is present but empty (or only whitespace) reads as absent: courts
  send `<nc:PersonMiddleName/>` for "none" as often as they leave it out.
- Paths are relative XPath with the format's prefixes (`nc:PersonName/nc:PersonGivenName`).
- An element carrying a NIEM reference (`s:ref`, `structures:ref`, or the NIEM 2.0
  `s:ref` on a role) is resolved to the element with that id, so participants linked by
  reference read like participants written inline.
- Whatever cannot be mapped is added to `warnings` (kept raw on the referral), never
  raised, unless the field is required.
- Elements read many times over (a docket's charges) are read with `strings` (several
  fields in one XPath evaluation), then `date_of`/`flag_of` on the texts. A mapping that
  reads most of a document many times over reads it once with `adapters.xml.snapshot`.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache

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
ID_ATTRIBUTES = frozenset(f"{{{ns}}}id" for ns in STRUCTURES)
REFERENCE_ATTRIBUTES = frozenset(
    [*(f"{{{ns}}}ref" for ns in STRUCTURES), *(f"{{{ns}}}uri" for ns in STRUCTURES[1:])]
)

# The NIEM date representations, as local names: any namespace generation.
DATE_FORMS = ("DateTime", "Date", "YearMonthDate", "YearDate", "DateRepresentation")

DayReader = Callable[[Element, str, str], DateReading | None]
"""(element, path, what): the date at `path` under the element as a format accepts it
(its `date_forms`), or None with a warning naming `what`."""


# Compiled paths by namespace table, then by path; formats use a few dozen paths each.
_COMPILED: dict[tuple[tuple[str, str], ...], dict[str, etree.XPath]] = {}

# The attributes that may be ids, in document order, found by libxml2 in one walk (a
# third of the cost of visiting every element from Python).
_ID_ATTRIBUTES = etree.XPath("descendant-or-self::*/@*[local-name()='id']", smart_strings=True)


# Joins the values of `XmlReader.strings`: a private-use character no court writes.
_SEPARATOR = "\ue000"


@lru_cache(maxsize=256)
def _concatenation(paths: tuple[str, ...]) -> str:
    parts = [f"string({path})" for path in paths]
    if len(parts) == 1:
        return parts[0]
    glue = f', "{_SEPARATOR}", '
    return f"concat({glue.join(parts)})"


class MissingField(AdapterError):
    pass


class XmlReader:
    def __init__(self, root: Element, namespaces: Mapping[str, str]) -> None:
        self.root = root
        self.ns = dict(namespaces)
        # Looked up by path alone: a reader makes hundreds of lookups, and hashing the
        # namespace table for each cost as much as the lookup itself.
        self._paths = _COMPILED.setdefault(tuple(sorted(self.ns.items())), {})
        self.warnings: list[str] = []
        self._ids: dict[str, Element] | None = None

    # -- elements ------------------------------------------------------------------------

    def find(self, el: Element, path: str) -> Element | None:
        """The first element at `path` under `el`, without resolving references."""
        found = self._compiled(path)(el)
        return found[0] if found else None

    def first(self, el: Element, path: str) -> Element | None:
        found = self.find(el, path)
        return None if found is None else self.resolve(found)

    def all(self, el: Element, path: str) -> list[Element]:
        return [self.resolve(found) for found in self._compiled(path)(el)]

    def _compiled(self, path: str) -> etree.XPath:
        """`path` compiled once per namespace table. A referral makes thousands of lookups;
        ElementPath `find` re-walks its steps in Python each time, and compiled XPath runs
        them in libxml2 (3x faster per lookup, measured with bench/adapters.py)."""
        compiled = self._paths.get(path)
        if compiled is None:
            try:
                compiled = etree.XPath(path, namespaces=self.ns, smart_strings=False)
            except etree.XPathSyntaxError as e:
                raise SyntaxError(f"path {path!r}: {e}") from None
            self._paths[path] = compiled
        return compiled

    def resolve(self, el: Element) -> Element:
        """The element `el` refers to, or `el` itself when it carries no reference."""
        # `_attr` inlined: a mapping resolves most elements it reads.
        for name, ref in el.items():
            if ref and name in REFERENCE_ATTRIBUTES:
                target = self._index().get(ref.removeprefix("#"))
                if target is None:
                    raise AdapterError(
                        f"{where(el)} refers to id {ref!r}, which the document lacks"
                    )
                return target
        return el

    def id_of(self, el: Element) -> str | None:
        return _attr(el, ID_ATTRIBUTES)

    def _index(self) -> dict[str, Element]:
        """Elements by id, built when the first reference is met. An element's first
        non-empty id counts; a later element with the same id replaces an earlier one."""
        if self._ids is None:
            ids: dict[str, Element] = {}
            last = None
            for found in _ID_ATTRIBUTES(self.root):
                if (
                    found
                    and found.attrname in ID_ATTRIBUTES
                    and (el := found.getparent()) is not last
                ):
                    ids[str(found)] = last = el
            self._ids = ids
        return self._ids

    # -- values --------------------------------------------------------------------------

    def text(self, el: Element | None, path: str | None = None) -> str | None:
        """Stripped text, None when absent or empty."""
        if el is not None and path is not None:
            el = self.find(el, path)
        if el is None or el.text is None:
            return None
        value = el.text.strip()
        return value or None

    def required(self, el: Element, path: str, what: str) -> str:
        value = self.text(el, path)
        if value is None:
            raise self.missing(el, path, what)
        return value

    def missing(self, el: Element, path: str, what: str) -> MissingField:
        return MissingField(f"{what} is missing or empty (expected {path} in {where(el)})")

    def strings(self, el: Element, paths: Sequence[str]) -> list[str | None]:
        """The stripped text under each path (None when absent or empty), in one XPath
        evaluation: for elements read many times over, such as a docket's charges."""
        values = str(self._compiled(_concatenation(tuple(paths)))(el)).split(_SEPARATOR)
        if len(values) != len(paths):  # the separator was in the data: ask one by one
            values = [str(self._compiled(f"string({path})")(el)) for path in paths]
        return [value.strip() or None for value in values]

    def first_text(self, el: Element, paths: Iterable[str]) -> str | None:
        for path in paths:
            value = self.text(el, path)
            if value is not None:
                return value
        return None

    def flag(self, el: Element, path: str, what: str) -> bool | None:
        return self.flag_of(self.text(el, path), what)

    def flag_of(self, value: str | None, what: str) -> bool | None:
        """`value` read as a yes/no; another word becomes a warning and None."""
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
            el = self.find(el, path)
        if el is None:
            return None
        return self.date_of(self._date_text(el), what)

    def date_of(self, text: str | None, what: str) -> DateReading | None:
        """`text` read as a date; a bad one becomes a warning and None."""
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


def _attr(el: Element, names: frozenset[str]) -> str | None:
    # Over the element's own attributes (usually none or one), not over every name.
    for name, value in el.items():
        if value and name in names:
            return str(value)
    return None


def where(el: Element) -> str:
    line = f" at line {el.sourceline}" if el.sourceline else ""
    return f"<{etree.QName(el).localname}>{line}"
