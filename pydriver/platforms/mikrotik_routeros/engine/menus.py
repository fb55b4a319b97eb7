"""Menus the emulator has that are not configuration (so not in the shared schema)."""

from __future__ import annotations

from pydriver.platforms.mikrotik_routeros.schema import Kind, Menu, Prop, Type

#: ``/file``: the router's file store; uploads land here and ``/import`` reads from it.
FILE_MENU = Menu(
    ("file",),
    Kind.LIST,
    (
        Prop("name"),
        Prop("type", read_only=True),
        Prop("size", Type.INT, read_only=True),
        Prop("creation-time", read_only=True),
        Prop("last-modified", read_only=True),
        Prop("contents", Type.TEXT, ""),
    ),
    identity=("name",),
    required=("name",),
    exported=False,
    disable=False,
)
