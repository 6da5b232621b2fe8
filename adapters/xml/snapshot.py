"""A parsed document read once into plain Python objects, for mappings that read most of
its elements, many of them several times over (a NIBRS submission names each person
from its roles and from every association).

lxml hands out a new Python proxy for an element each time a lookup reaches it, and a
lookup (XPath or `iterchildren`) is a call into libxml2: a mapping made of hundreds of
small lookups spends its time there. Read once, each element is a `Node` holding its
tag, its NIEM id and reference, and its children by tag; every later lookup
is a dict read. The snapshot itself is one loop over the elements, without recursion
(bench/adapters.py nibrs_parse: 0.21 of raw lxml's rate read through XPath, 0.27 now).

Reads like `adapters.xml.reading.XmlReader`:
- An element that is empty or holds only whitespace reads as absent.
- A reference (`s:ref`, `s:uri` of any NIEM generation) is followed by `first`, `all`
  and `under`; one to an id the document lacks is an `AdapterError`. An element's
  first non-empty id counts; a later element with the same id replaces an earlier one.
- Names are tags as lxml spells them (`{namespace}local`); `Tags` turns a format's
  prefixed names into tags once per namespace table.
- Comments and processing instructions are not read.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

from lxml.etree import Element as ElementType
from lxml.etree import _Element as Element

from adapters.errors import AdapterError
from adapters.xml.reading import ID_ATTRIBUTES, REFERENCE_ATTRIBUTES, where

_NONE: tuple["Node", ...] = ()
_NO_KIDS: Mapping[str, list["Node"]] = MappingProxyType({})


class Tags(dict[str, str]):
    """`{namespace}local` for each prefixed name (`nc:Person`), worked out the first
    time it is asked for; a name without a prefix is its own tag."""

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        super().__init__()
        self.namespaces = dict(namespaces)
        self._many: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __missing__(self, name: str) -> str:
        prefix, _, local = name.partition(":")
        if not local:
            tag = name
        elif prefix in self.namespaces:
            tag = f"{{{self.namespaces[prefix]}}}{local}"
        else:
            raise KeyError(f"no namespace for the prefix of {name!r}")
        self[name] = tag
        return tag

    def many(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """The tag of each name, the tuple worked out once."""
        tags = self._many.get(names)
        if tags is None:
            tags = self._many[names] = tuple(self[name] for name in names)
        return tags


class Node:
    """One element. `kids` holds its child elements by tag, in document order (none for
    a leaf: an element without children or attributes, most of a document)."""

    __slots__ = ("element", "tag")
    kids: Mapping[str, list["Node"]] = _NO_KIDS
    # Only `_LinkedNode`s carry either.
    id: str | None = None
    ref: str | None = None

    def __init__(self, element: Element, tag: str) -> None:
        self.element = element
        self.tag = tag

    @property
    def text(self) -> str | None:
        """Stripped text, None when absent or empty."""
        raw = self.element.text
        return (raw.strip() or None) if raw else None

    @property
    def line(self) -> int | None:
        line: int | None = self.element.sourceline
        return line

    def key(self) -> str:
        """How the document knows this element: its id, else its place in the document."""
        return self.id or self.element.getroottree().getpath(self.element)

    def resolved(self) -> "Node":
        """The node this one refers to, or itself when it carries no reference."""
        return self

    def named(self, tag: str) -> list["Node"] | tuple["Node", ...]:
        """The children with `tag` as written, references not followed."""
        return self.kids.get(tag, _NONE)

    # `node if node.ref is None else node.resolved()`: most nodes refer to nothing, and
    # the test is cheaper than the call.
    def first(self, tag: str) -> "Node | None":
        found = self.kids.get(tag)
        if not found:
            return None
        node = found[0]
        return node if node.ref is None else node.resolved()

    def all(self, tag: str) -> list["Node"]:
        return [node if node.ref is None else node.resolved() for node in self.kids.get(tag, _NONE)]

    def under(self, tag: str, inner: str) -> list["Node"]:
        """The `inner` children of the children with `tag` (the path `tag/inner`),
        references followed."""
        return [
            node if node.ref is None else node.resolved()
            for outer in self.kids.get(tag, _NONE)
            for node in outer.kids.get(inner, _NONE)
        ]

    def text_of(self, *tags: str) -> str | None:
        """The text of the first child of the first tag that has a non-empty one."""
        for tag in tags:
            found = self.kids.get(tag)
            if found and (value := found[0].text) is not None:
                return value
        return None

    def path_text(self, first: str, *rest: str) -> str | None:
        """The text at the path `first/rest...` (one tag per step), as XPath's `string()`
        finds it: the first element on the path in document order, references not
        followed."""
        level = self.kids.get(first)
        if not level:
            return None
        if not rest:
            return level[0].text
        last = rest[-1]
        for step in rest[:-1]:
            level = [node for outer in level for node in outer.kids.get(step, _NONE)]
        for outer in level:
            found = outer.kids.get(last)
            if found:
                return found[0].text
        return None

    def path_texts(self, outer: str, *inner: str) -> list[str | None]:
        """`path_text(outer, name)` for each name of `inner`, `outer` looked up once (a
        person's name parts under its one `nc:PersonName`)."""
        outers = self.kids.get(outer)
        if not outers:
            return [None] * len(inner)
        if len(outers) != 1:
            return [self.path_text(outer, name) for name in inner]
        kids = outers[0].kids
        return [found[0].text if (found := kids.get(name)) else None for name in inner]


class _Branch(Node):
    __slots__ = ("kids",)

    def __init__(self, element: Element, tag: str, kids: dict[str, list[Node]]) -> None:
        # The base's fields set here, not by super().__init__: one call fewer each.
        self.element = element
        self.tag = tag
        self.kids = kids


class _LinkedNode(_Branch):
    """An element with attributes: perhaps an id or a reference."""

    __slots__ = ("_ids", "id", "ref")

    def __init__(
        self, element: Element, tag: str, kids: dict[str, list[Node]], ids: dict[str, Node]
    ) -> None:
        self.element = element
        self.tag = tag
        self.kids = kids
        self._ids = ids
        self.id = self.ref = None

    def resolved(self) -> Node:
        if self.ref is None:
            return self
        target = self._ids.get(self.ref)
        if target is None:
            raise AdapterError(
                f"{where(self.element)} refers to id {self.ref!r}, which the document lacks"
            )
        return target


@contextmanager
def snapshot(root: Element) -> Iterator[Node]:
    """`root` and every element under it, read once, for the `with` block: references
    are followed inside it only. Leaving it breaks the cycle between the nodes that
    carry references and the ids they refer to, so the snapshot is freed at once instead
    of by the garbage collector (which cost a tenth of a NIBRS submission's time)."""
    ids: dict[str, Node] = {}
    try:
        yield _read(root, ids)
    finally:
        ids.clear()


def _read(root: Element, ids: dict[str, Node]) -> Node:
    # One loop over the elements in document order (a later id replaces an earlier
    # one), each filed under its parent, with no call per element but the node's own:
    # a sixth faster than reading recursively. lxml keeps one proxy per element while it
    # is referenced, so `getparent()` returns the very key filed in `kids_of`.
    top: Node | None = None
    kids_of: dict[Element, dict[str, list[Node]]] = {}
    for element in root.iter(ElementType):
        tag = element.tag
        node: Node
        attributes = element.items()
        if attributes:
            kids: dict[str, list[Node]] = {}
            node = linked = _LinkedNode(element, tag, kids, ids)
            kids_of[element] = kids
            for name, value in attributes:
                if not value:
                    continue
                if name in ID_ATTRIBUTES and linked.id is None:
                    linked.id = value
                    ids[value] = linked
                elif name in REFERENCE_ATTRIBUTES and linked.ref is None:
                    linked.ref = value.removeprefix("#")
        elif len(element):
            node = _Branch(element, tag, kids := {})
            kids_of[element] = kids
        else:
            node = Node(element, tag)
        if top is None:  # iter() starts with the root
            top = node
            continue
        siblings = kids_of[element.getparent()]
        if tag in siblings:
            siblings[tag].append(node)
        else:
            siblings[tag] = [node]
    assert top is not None
    return top
