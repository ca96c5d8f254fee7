"""`jointfund terms list|show|diff`: the bundled term sheets and how they differ."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from jointfund.cli.options import JsonOption
from jointfund.cli.output import emit_json, out, table
from jointfund.i18n import N_, current
from jointfund.terms import diff_terms, load_terms, preset_ids, render_side_by_side, terms_to_yaml
from jointfund.terms.schema import Metadata

app = typer.Typer(
    help=N_("Term sheets: list presets, show one, compare two."), no_args_is_help=True
)
TermsArg = Annotated[str, typer.Argument(help=N_("Preset id or YAML file"))]


@app.command("list")
def list_terms(as_json: JsonOption = False) -> None:
    """The presets shipped with jointfund."""
    sheets = [load_terms(i) for i in preset_ids()]
    if as_json:
        emit_json(
            [{"id": t.id, "title": t.metadata.title, "status": t.metadata.status} for t in sheets]
        )
        return
    table(
        "Term sheets",
        ["id", "status", "title"],
        [(t.id, t.metadata.status, _title(t.metadata)) for t in sheets],
    )


def _title(metadata: Metadata) -> str:
    """The term sheet's title in the language in force (its Ukrainian title when it has one)."""
    return metadata.title_uk if current() == "uk" and metadata.title_uk else metadata.title


@app.command("show")
def show_terms(source: TermsArg) -> None:
    """Print a term sheet as YAML, with its sources and assumptions."""
    sys.stdout.write(terms_to_yaml(load_terms(source)))


@app.command("diff")
def diff(
    a: TermsArg,
    b: TermsArg,
    width: Annotated[int, typer.Option("--width", min=60)] = 120,
    as_json: JsonOption = False,
) -> None:
    """Every term that differs between two sheets, side by side."""
    left, right = load_terms(a), load_terms(b)
    if as_json:
        emit_json([{"path": d.path, a: d.a_value, b: d.b_value} for d in diff_terms(left, right)])
        return
    for line in render_side_by_side(left, right, width=width):
        out.print(line, markup=False)
