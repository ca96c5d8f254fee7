"""The filings accruing to a contribution account are found through an index of their own, not
by walking every filing without an entry (18 s at ten million filings)."""

from __future__ import annotations

from sqlalchemy import text

from jointfund.store import Database
from jointfund.store.indexes import index_names
from jointfund.store.tables.registry import filings
from jointfund.store.transfers import accruals

_QUERY = (
    "SELECT * FROM filings WHERE payer_reference IN (SELECT payer_reference FROM filings "
    "WHERE credit_account = :a AND entry_key IS NULL) ORDER BY payer_reference, version"
)


def test_the_accruing_filings_have_a_partial_index(db: Database) -> None:
    with db.read() as conn:
        found = index_names(conn, "filings")
        assert "ix_filings_accruing" in found
        assert accruals(conn, "Equity:Capital:UA:Contributions") == []
        if db.dialect == "sqlite":
            plan = " ".join(
                str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + _QUERY), {"a": "x"})
            )
            assert "ix_filings_accruing" in plan, plan
    assert any(i.name == "ix_filings_accruing" for i in filings.indexes)
