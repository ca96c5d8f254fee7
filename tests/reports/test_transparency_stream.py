"""The transparency CSV and JSON streamed as they are read: the very bytes the in-memory
report gives (the JSON's totals from the sums the books keep, also after a correction), on
both backends, logged with the same SHA-256, and written so by the command."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jointfund import store
from jointfund.cli.report import app
from jointfund.fund import documents, users
from jointfund.fund.filings import import_filings
from jointfund.intake.filings import COLUMNS
from tests.operator import operator
from tests.reports.report_fixtures import built_demo


def test_the_streamed_csv_is_the_in_memory_csv_byte_for_byte(db_url: str, tmp_path: Path) -> None:
    db = built_demo(db_url)
    try:
        # A later version of a stored filing: only the newest may appear, in its place.
        with db.read() as tx:
            stored = max(store.filing_reads.filing_rows(tx), key=lambda r: (r.period_end, r.id))
        old_gross = f"{stored.gross_minor // 100}.{stored.gross_minor % 100:02d}".encode()
        later = tmp_path / "later.csv"
        later.write_text(
            ",".join(COLUMNS)
            + f"\n{stored.licence_id},{stored.period},{stored.stream},9200000.17,"
            + f"{stored.currency},{stored.payer_reference},{stored.version + 1},0.00,"
            + f"{stored.received_on.isoformat()}\n"
        )
        assert import_filings(db, operator(db), later).corrected == 1
        actor = operator(db)
        for fmt in ("json", "csv"):
            for year in (None, 2025, 2026):
                kept = documents.transparency(db, actor, year=year, fmt=fmt)
                out = io.BytesIO()
                streamed = documents.transparency_streamed(db, actor, out, year=year, fmt=fmt)
                assert out.getvalue() == kept.content, (fmt, year)
                assert (streamed.sha256, streamed.summary) == (kept.sha256, kept.summary)
        assert b"9200000.17" in out.getvalue() and old_gross not in out.getvalue()
    finally:
        db.dispose()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_command_streams_the_file(sqlite_url: str, tmp_path: Path, fmt: str) -> None:
    db = built_demo(sqlite_url)
    try:
        kept = documents.transparency(db, operator(db), year=2026, fmt=fmt)
        token = users.issue_token(db, operator(db), "auditor", label="reports").secret
    finally:
        db.dispose()
    out = tmp_path / f"t.{fmt}"
    args = ["transparency", "--year", "2026", "--format", fmt, "--out", str(out)]
    done = CliRunner().invoke(app, [*args, "--db", sqlite_url], env={"JOINTFUND_TOKEN": token})
    assert done.exit_code == 0, done.output
    assert out.read_bytes() == kept.content
