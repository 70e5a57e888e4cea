"""`longarm report RESULTS`: the class at a glance, from a results store, as HTML, Markdown or CSV.

`build_report` reads the store and renders one format; `run_report` is the command: it writes
the report where it was asked (HTML to report.html unless --out says otherwise, Markdown and CSV
to standard output) and turns every problem with the file into a one-line message and exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TextIO

from game.classroom.report_csv import render_check_csv, render_csv
from game.classroom.report_html import render_html
from game.classroom.report_md import render_markdown
from game.classroom.results import ResultsStore, StoreError
from game.classroom.stores import open_store
from game.classroom.summary import (
    ClassReport,
    ScenarioSource,
    load_for_report,
    summarise,
)
from game.tools.output import write_output

Format = Literal["html", "md", "csv"]
FORMATS: tuple[str, ...] = ("html", "md", "csv")
Table = Literal["games", "check"]
#: What a CSV report has a row for: each game, or each item of the knowledge check.
TABLES: tuple[str, ...] = ("games", "check")
DEFAULT_HTML_FILE = "report.html"
#: The exit status when the results file cannot be read or the report cannot be written.
FAILED = 2

RENDERERS: dict[str, Callable[[ClassReport], str]] = {"html": render_html, "md": render_markdown, "csv": render_csv}


def build_report(results: str | Path, output_format: str = "html", class_code: str | None = None,
                 scenario_id: str | None = None, scenario_for: ScenarioSource = load_for_report,
                 table: str = "games") -> str:
    """The report's text, from a results file or a `postgresql://` database; StoreError when it
    cannot be read. `table` picks the CSV's rows: each game, or each item of the knowledge check."""
    store = open_store(results, create=False)
    try:
        return report_of(store, output_format, class_code, scenario_id, scenario_for, table)
    finally:
        store.close()


def report_of(store: ResultsStore, output_format: str = "html", class_code: str | None = None,
              scenario_id: str | None = None, scenario_for: ScenarioSource = load_for_report,
              table: str = "games") -> str:
    """The report's text from a store already open (the web edition's reader); StoreError when it
    cannot be read."""
    games = store.games(class_code=class_code, scenario_id=scenario_id)
    report = summarise(games, scenario_for, class_code=class_code, scenario_id=scenario_id)
    if output_format == "csv" and table == "check":
        return render_check_csv(report)
    return RENDERERS[output_format](report)


def run_report(results: str | Path, output_format: str, out: Path | None, class_code: str | None,
               scenario_id: str | None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr,
               table: str = "games") -> int:
    if table != "games" and output_format != "csv":
        stderr.write(f"longarm report: --table {table} is for --format csv; the {output_format} report has every "
                     "table\n")
        return FAILED
    try:
        text = build_report(results, output_format, class_code, scenario_id, table=table)
    except StoreError as error:
        stderr.write(f"longarm report: {error}\n")
        return FAILED
    if out is None and output_format == "html":
        out = Path(DEFAULT_HTML_FILE)
    return write_output(text, out, "report", stdout, stderr, newline="")
