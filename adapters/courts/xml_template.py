"""A declarative XML document: a root path and (path, value) steps below it. One
declaration both renders a document we send and reads it back, so the two cannot drift.

Paths are ElementPath with prefixes bound by the caller's namespace map; nothing here
knows any court vocabulary. The prefixed-path helpers the formats' readers share
(`qname`, `local_name`, `find_anywhere`, `where`) live here too.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree
from lxml.etree import _Element as Element

from adapters.errors import AdapterError
from adapters.xml.reading import XmlReader


@dataclass(frozen=True)
class DocumentTemplate:
    """A document as `root` (a path of nested elements) and steps below its last element.

    A step's value is literal text or a `{field}` placeholder; a step whose field is None
    is left out. Steps sharing a path prefix share those elements, in order of first use.
    """

    root: str
    steps: tuple[tuple[str, str], ...]

    def render(self, ns: Mapping[str, str], values: Mapping[str, str | None]) -> bytes:
        first, *rest = self.root.split("/")
        root = etree.Element(qname(first, ns), nsmap=dict(ns))
        message = _descend(root, rest, ns)
        for path, value in self.steps:
            field = _field(value)
            text = value if field is None else values[field]
            if text is not None:
                _descend(message, path.split("/"), ns).text = text
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    def read(self, root: Element, ns: Mapping[str, str]) -> dict[str, str | None]:
        """Each field's text, from the template's message element wherever it sits."""
        message = find_anywhere(root, self.root.rsplit("/", 1)[-1], ns)
        reader = XmlReader(root, ns)
        return {
            field: reader.text(message, path)
            for path, value in self.steps
            if (field := _field(value)) is not None
        }


def qname(prefixed: str, ns: Mapping[str, str]) -> str:
    """Clark notation for one prefixed name: "nc:Case" -> "{http://...}Case"."""
    prefix, _, local = prefixed.rpartition(":")
    return f"{{{ns[prefix]}}}{local}" if prefix else local


def local_name(path: str) -> str:
    """The local name of a path's last element: "a:B/c:D" -> "D"."""
    return path.rsplit("/", 1)[-1].rpartition(":")[2]


def find_anywhere(root: Element, name: str, ns: Mapping[str, str]) -> Element:
    """The first `name` element at any depth: messages may sit in a SOAP or vendor
    envelope."""
    found = next(root.iter(qname(name, ns)), None)
    if found is None:
        raise AdapterError(
            f"no <{local_name(name)}> in the document (the root is <{etree.QName(root).localname}>)"
        )
    return found


def where(el: Element) -> str:
    """An element as errors name it: its local name and source line, never its text."""
    line = f" at line {el.sourceline}" if el.sourceline else ""
    return f"<{etree.QName(el).localname}>{line}"


def _field(value: str) -> str | None:
    """The field a `{field}` placeholder names; None for literal text."""
    return value[1:-1] if value.startswith("{") and value.endswith("}") else None


def _descend(el: Element, steps: list[str], ns: Mapping[str, str]) -> Element:
    for step in steps:
        tag = qname(step, ns)
        child = el.find(tag)
        el = etree.SubElement(el, tag) if child is None else child
    return el
