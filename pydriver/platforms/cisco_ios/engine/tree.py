"""The running configuration as IOS holds it: a tree of lines, each with an identity key.

Lines are stored already normalised (the interpreter did that), so rendering is only a
matter of ordering. Every mutation goes through :class:`Config` so the engine can bump its
``generation`` and the fabric knows to recompute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

Key = tuple[str, ...]


class Node:
    """One configuration line; a sub-mode line (``interface X``) also holds children."""

    __slots__ = ("body", "children", "key", "mode", "text")

    def __init__(
        self, text: str, key: Key, mode: str | None = None, body: str | None = None
    ) -> None:
        self.text = text
        self.key = key
        self.mode = mode
        self.body = body  # banner text between the delimiters
        self.children: list[Node] = []

    def find(self, key: Key) -> Node | None:
        for child in self.children:
            if child.key == key:
                return child
        return None

    def child_texts(self) -> list[str]:
        return [c.text for c in self.children]

    def copy(self) -> Node:
        dup = Node(self.text, self.key, self.mode, self.body)
        dup.children = [c.copy() for c in self.children]
        return dup

    def walk(self) -> Iterator[Node]:
        for child in self.children:
            yield child
            yield from child.walk()

    def __repr__(self) -> str:
        return f"Node({self.text!r})"


class Config:
    """A whole configuration; mutations notify ``on_change``."""

    def __init__(self, on_change: Callable[[], None] | None = None) -> None:
        self.root = Node("", (), "config")
        self.on_change = on_change
        self.hidden: dict[Key, str] = {}  # accepted lines IOS never shows (snmp-server user)

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def copy(self) -> Config:
        dup = Config()
        dup.root = self.root.copy()
        dup.hidden = dict(self.hidden)
        return dup

    def top(self, prefix: str) -> list[Node]:
        return [n for n in self.root.children if n.text.startswith(prefix)]

    def upsert(
        self, parent: Node, key: Key, text: str, mode: str | None = None, body: str | None = None
    ) -> Node:
        """Set the line identified by ``key`` under ``parent`` (in place, or appended)."""
        node = parent.find(key)
        if node is None:
            node = Node(text, key, mode, body)
            parent.children.append(node)
            self.changed()
            return node
        if node.text != text or node.body != body or (mode and node.mode != mode):
            node.text = text
            node.body = body
            if mode:
                node.mode = mode
            self.changed()
        return node

    def remove(self, parent: Node, match: Callable[[Node], bool]) -> int:
        keep = [c for c in parent.children if not match(c)]
        removed = len(parent.children) - len(keep)
        if removed:
            parent.children = keep
            self.changed()
        return removed

    def remove_key(self, parent: Node, key: Key, prefix: bool = False) -> int:
        if prefix:
            return self.remove(parent, lambda n: n.key[: len(key)] == key)
        return self.remove(parent, lambda n: n.key == key)

    def set_text(self, node: Node, text: str) -> None:
        if node.text != text:
            node.text = text
            self.changed()

    def set_body(self, node: Node, body: str) -> None:
        if node.body != body:
            node.body = body
            self.changed()

    def interface(self, name: str) -> Node | None:
        return self.root.find(("interface", name))

    def interfaces(self) -> list[Node]:
        return self.top("interface ")

    def value(self, prefix: str) -> str | None:
        """The rest of the first top-level line starting with ``prefix `` (None if absent)."""
        for node in self.root.children:
            if node.text.startswith(prefix + " "):
                return node.text[len(prefix) + 1 :]
        return None

    def has(self, text: str) -> bool:
        return any(n.text == text for n in self.root.children)
