"""A document as a list of blocks, written out as Markdown and as self-contained HTML.

Each document of the pack is built once, as data, and rendered twice, so the Markdown and
the HTML versions cannot say different things. HTML needs nothing outside the file: the
styles are inline and a diagram is embedded as inline SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1..4
    text: str
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Para:
    text: str


@dataclass(frozen=True, slots=True)
class Fields:
    """A short list of label: value pairs."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    css: str = ""  # an HTML class (tests and readers find a table by it)


@dataclass(frozen=True, slots=True)
class Figure:
    """An SVG drawing: inline in HTML, linked (``link``) in Markdown."""

    svg: str
    link: str
    caption: str


@dataclass(frozen=True, slots=True)
class Pre:
    text: str


Block = Heading | Para | Fields | Table | Figure | Pre


def cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _md_cell(value: Cell) -> str:
    return cell(value).replace("|", "\\|").replace("\n", "<br>")


def markdown(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Para):
            out += [b.text, ""]
        elif isinstance(b, Fields):
            out += [f"- **{k}:** {v}" for k, v in b.items] + [""]
        elif isinstance(b, Table):
            out.append("| " + " | ".join(_md_cell(h) for h in b.headers) + " |")
            out.append("|" + "|".join("---:" if i in b.numeric else "---"
                                      for i in range(len(b.headers))) + "|")
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
        elif isinstance(b, Figure):
            out += [f"![{b.caption}]({b.link})", "", f"*{b.caption}*", ""]
        else:
            out += ["```", b.text.rstrip("\n"), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:75em;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccc;margin-top:1.8em}
h3{font-size:1.1em}
table{border-collapse:collapse;margin:.5em 0 1em}
th,td{border:1px solid #bbb;padding:.25em .55em;text-align:left;vertical-align:top}
th{background:#eef2f6}td.n{text-align:right;white-space:nowrap}
dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em}dt{font-weight:600}
dd{margin:0}figure{margin:1em 0;overflow-x:auto}figure svg{max-width:100%;height:auto}
figcaption{font-style:italic;color:#555}pre{background:#f6f6f6;padding:.6em}
@media print{body{max-width:none}}
"""


def _e(value: Cell) -> str:
    return escape(cell(value), quote=True)


def _svg_body(svg: str) -> str:
    """The ``<svg>`` element alone (an XML declaration or DOCTYPE is not valid in HTML)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def html(blocks: Sequence[Block], title: str, lang: str) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            anchor = f' id="{_e(b.anchor)}"' if b.anchor else ""
            out.append(f"<h{b.level}{anchor}>{_e(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            out.append(f"<p>{_e(b.text)}</p>")
        elif isinstance(b, Fields):
            out.append("<dl>" + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>"
                                        for k, v in b.items) + "</dl>")
        elif isinstance(b, Table):
            css = f' class="{_e(b.css)}"' if b.css else ""
            head = "".join(f"<th>{_e(h)}</th>" for h in b.headers)
            rows = "".join(
                "<tr>" + "".join(f'<td class="n">{_e(c)}</td>' if i in b.numeric
                                 else f"<td>{_e(c)}</td>" for i, c in enumerate(row))
                + "</tr>\n" for row in b.rows)
            out.append(f"<table{css}>\n<tr>{head}</tr>\n{rows}</table>")
        elif isinstance(b, Figure):
            out.append(f"<figure>{_svg_body(b.svg)}<figcaption>{_e(b.caption)}</figcaption>"
                       "</figure>")
        else:
            out.append(f"<pre>{_e(b.text)}</pre>")
    body = "\n".join(out)
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
            "</body>\n</html>\n")
