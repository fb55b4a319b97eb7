"""The compliance report as one self-contained HTML page: a dashboard for people.

One file, no network: the styles and the little script that filters are inline, so it
opens from a file share, an e-mail attachment or an air-gapped laptop. Every finding is a
table row rendered here (the page is complete without JavaScript); the script only hides
rows that do not match the filters. The summaries (by OPD, site kind, platform and rule)
count the same rows, and a click on a summary line filters the findings to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from html import escape

from pydriver.compliance.model import Finding, Report, Status
from pydriver.report.groups import NETWORK, WORST_FIRST
from pydriver.report.i18n import catalogue

STATUSES = tuple(reversed(WORST_FIRST))  # pass .. fail, the order of the columns

CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.4em 0}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right}td.id{white-space:nowrap}
.badge{display:inline-block;padding:0 .5em;border-radius:.6em;font-size:.9em}
.s-pass{background:#d8f0d8}.s-fail{background:#f6c6c6}.s-waived{background:#fbe8b0}
.s-not-assessed{background:#e6d3f0}.s-not-applicable{background:#e8e8e8}
.summaries{display:flex;flex-wrap:wrap;gap:1.5em}
button.pick{border:0;background:none;color:#0645ad;cursor:pointer;padding:0;font:inherit;
text-align:left}
#filters label{margin-right:1em}pre{margin:.2em 0;white-space:pre-wrap}
tr.finding[hidden]{display:none}
"""

SCRIPT = """
(function(){
  var keys=["status","rule","opd","kind","platform"];
  function sel(k){return document.getElementById("f-"+k);}
  function apply(){
    var want={};keys.forEach(function(k){want[k]=sel(k).value;});
    var text=document.getElementById("f-text").value.toLowerCase();
    var rows=document.querySelectorAll("tr.finding"),shown=0;
    rows.forEach(function(r){
      var ok=keys.every(function(k){return !want[k]||r.dataset[k]===want[k];});
      if(ok&&text){ok=r.textContent.toLowerCase().indexOf(text)>=0;}
      r.hidden=!ok;if(ok){shown++;}
    });
    document.getElementById("shown").textContent=shown;
  }
  keys.forEach(function(k){sel(k).addEventListener("change",apply);});
  document.getElementById("f-text").addEventListener("input",apply);
  document.getElementById("f-reset").addEventListener("click",function(){
    keys.forEach(function(k){sel(k).value="";});
    document.getElementById("f-text").value="";apply();
  });
  document.querySelectorAll("button.pick").forEach(function(b){
    b.addEventListener("click",function(){
      keys.forEach(function(k){sel(k).value="";});
      sel(b.dataset.key).value=b.dataset.value;
      if(b.dataset.status){sel("status").value=b.dataset.status;}
      apply();document.getElementById("findings").scrollIntoView();
    });
  });
  apply();
})();
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _keys(f: Finding) -> dict[str, str]:
    return {"status": f.status.value, "rule": f.rule, "opd": f.opd or NETWORK,
            "kind": f.kind or NETWORK, "platform": f.platform or NETWORK}


def _summary(report: Report, key: str, title: str, t: Callable[[str], str],
             label: Callable[[str], str] = str) -> str:
    counts: dict[str, Counter[str]] = {}
    for f in report.findings:
        counts.setdefault(_keys(f)[key], Counter())[f.status.value] += 1
    head = "".join(f"<th>{_e(t('status.' + s.value))}</th>" for s in STATUSES)
    rows = []
    for value in sorted(counts):
        c = counts[value]
        cells = "".join(
            f'<td class="n">{_pick(key, value, str(c[s.value]), s.value) if c[s.value] else 0}'
            "</td>" for s in STATUSES)
        rows.append(f"<tr><td>{_pick(key, value, label(value))}</td>{cells}</tr>")
    return (f'<div><h3>{_e(title)}</h3><table class="summary" data-key="{key}">'
            f"<tr><th></th>{head}</tr>{''.join(rows)}</table></div>")


def _pick(key: str, value: str, text: str, status: str = "") -> str:
    extra = f' data-status="{_e(status)}"' if status else ""
    return (f'<button class="pick" data-key="{key}" data-value="{_e(value)}"{extra}>'
            f"{_e(text)}</button>")


def _options(key: str, values: Iterable[tuple[str, str]], t: Callable[[str], str]) -> str:
    opts = "".join(f'<option value="{_e(v)}">{_e(text)}</option>' for v, text in values)
    return (f'<label>{_e(t("dash.filter." + key))} <select id="f-{key}">'
            f'<option value="">{_e(t("dash.all"))}</option>{opts}</select></label>')


def _finding_row(f: Finding, report: Report, t: Callable[[str], str]) -> str:
    data = "".join(f' data-{k}="{_e(v)}"' for k, v in _keys(f).items())
    rule = report.rule(f.rule)
    where = ""
    if f.evidence:
        where = (f"<details><summary><code>{_e(f.evidence.file)}:{f.evidence.line}</code>"
                 f"</summary><pre>{_e(f.evidence.text)}</pre></details>")
    waiver = (f'<div class="waiver"><b>{_e(t("dash.waiver"))}:</b> {_e(f.waiver)}</div>'
              if f.waiver else "")
    return (f'<tr class="finding"{data}>'
            f'<td><span class="badge s-{f.status.value}">{_e(t("status." + f.status.value))}'
            f"</span></td>"
            f'<td class="id" title="{_e(rule.title)}">{_e(f.rule)}</td>'
            f"<td>{_e(t('severity.' + rule.severity.value))}</td>"
            f"<td>{_e(f.router or t('dash.network'))}</td><td>{_e(f.opd or '')}</td>"
            f"<td>{where}</td><td>{_e(f.message)}{waiver}</td></tr>")


def dashboard(report: Report, lang: str = "en", title: str | None = None) -> str:
    """The whole page, byte-identical for the same report."""
    t = catalogue(lang)
    counts = report.counts()
    heading = title or t("dash.title").format(source=report.source)
    badges = " ".join(
        _pick("status", s.value, f"{counts[s.value]} " + t("status." + s.value))
        .replace('class="pick"', f'class="pick badge s-{s.value}"')
        for s in STATUSES)
    kinds = sorted({_keys(f)["kind"] for f in report.findings})
    opds = sorted({_keys(f)["opd"] for f in report.findings})
    platforms = sorted({_keys(f)["platform"] for f in report.findings})

    def kind_label(k: str) -> str:
        return t("kind." + k)

    filters = "".join((
        _options("status", ((s.value, t("status." + s.value)) for s in STATUSES), t),
        _options("rule", ((r.id, f"{r.id} {r.title}") for r in report.rules), t),
        _options("opd", ((o, o) for o in opds), t),
        _options("kind", ((k, kind_label(k)) for k in kinds), t),
        _options("platform", ((p, p) for p in platforms), t),
        f'<label>{_e(t("dash.filter.text"))} <input id="f-text" type="search"></label>',
        f'<button id="f-reset" type="button">{_e(t("dash.reset"))}</button>'))
    summaries = "".join((
        _summary(report, "opd", t("dash.by.opd"), t),
        _summary(report, "kind", t("dash.by.kind"), t, kind_label),
        _summary(report, "platform", t("dash.by.platform"), t),
        _summary(report, "rule", t("dash.by.rule"), t,
                 lambda r: f"{r} {report.rule(r).title}")))
    head = "".join(f"<th>{_e(t(k))}</th>" for k in (
        "dash.col.status", "dash.col.rule", "dash.col.severity", "dash.col.router",
        "dash.col.opd", "dash.col.evidence", "dash.col.finding"))
    rows = "\n".join(_finding_row(f, report, t) for f in report.findings)
    waived = [f for f in report.findings if f.status is Status.WAIVED]
    waivers = "".join(
        f"<tr><td>{_e(f.rule)}</td><td>{_e(f.router or t('dash.network'))}</td>"
        f"<td>{_e(f.opd or '')}</td><td>{_e(f.waiver)}</td></tr>" for f in waived)
    waiver_table = (f"<table id=\"waivers\"><tr><th>{_e(t('dash.col.rule'))}</th>"
                    f"<th>{_e(t('dash.col.router'))}</th><th>{_e(t('dash.col.opd'))}</th>"
                    f"<th>{_e(t('dash.waiver'))}</th></tr>{waivers}</table>"
                    if waived else f"<p>{_e(t('dash.no_waivers'))}</p>")
    rules = "".join(
        f'<tr><td class="id">{_e(r.id)}</td><td>{_e(t("severity." + r.severity.value))}</td>'
        f"<td><b>{_e(r.title)}</b>"
        f"<br>{_e(r.rationale)}<br><i>{_e(r.remediation)}</i></td>"
        f"<td>{'<br>'.join(_e(c) for c in r.citation)}</td></tr>" for r in report.rules)
    return f"""<!DOCTYPE html>
<html lang="{_e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(heading)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{_e(heading)}</h1>
<p id="counts">{badges}</p>
<h2>{_e(t("dash.summary"))}</h2>
<div class="summaries">{summaries}</div>
<h2 id="findings">{_e(t("dash.findings"))}</h2>
<div id="filters">{filters}</div>
<p>{_e(t("dash.shown")).format(shown='<span id="shown">' + str(len(report.findings))
                                + "</span>", total=len(report.findings))}</p>
<table id="finding-table">
<tr>{head}</tr>
{rows}
</table>
<h2>{_e(t("dash.waivers"))}</h2>
{waiver_table}
<h2>{_e(t("dash.rules"))}</h2>
<table id="rules"><tr><th>{_e(t("dash.col.rule"))}</th><th>{_e(t("dash.col.severity"))}</th>
<th></th><th>{_e(t("dash.col.basis"))}</th></tr>{rules}</table>
<script>{SCRIPT}</script>
</body>
</html>
"""
