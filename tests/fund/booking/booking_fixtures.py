"""Small input files and a database snapshot helper for the booking tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from jointfund.store import Database
from jointfund.store.tables.ledger import metadata
from jointfund.terms import DEFAULT_PRESET, load_terms, terms_to_yaml

LICENCES = """licence_id,holder,holder_registry_id,deposit,resources,oblast,instrument,issued_on,status
L-NEW-TI,Velta LLC,43000001,Likarivske titanium deposit,titanium,Kirovohrad,special_permit,2025-07-11,active
L-OLD-TI,UMCC,43000002,Irshanske titanium placer,titanium,Zhytomyr,special_permit,2008-01-21,active
L-NEW-FE,Kryvbas Ore LLC,43000003,Kryvyi Rih iron ore basin,iron ore,Dnipropetrovsk,special_permit,2025-08-01,active
"""

FX = """date,base,quote,rate
2025-09-12,USD,UAH,40.00
2025-09-15,USD,UAH,40.00
2025-10-15,USD,UAH,40.00
"""

HEADER = (
    "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on\n"
)
FILINGS = HEADER + (
    "L-NEW-TI,2025-08,royalty,1000000.00,UAH,R-1,1,300000.00,2025-09-15\n"
    "L-OLD-TI,2025-08,royalty,200000.00,UAH,R-2,1,50000.00,2025-09-15\n"
    "L-NEW-FE,2025-08,royalty,400000.00,UAH,R-3,1,100000.00,2025-09-15\n"
)


def write(folder: Path, name: str, body: str) -> Path:
    """Write an input file and return its path."""
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every jointfund table, in a stable order, to compare before and after."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with db.read() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(text(f"SELECT * FROM {table.name}")).all()
            found[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return found


_SESSION_TABLES = ("sessions_started", "sessions_ended")


def snapshot_besides_sign_ins(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """`snapshot` without what signing in and out writes (the sessions, their audit records
    and their links in the row chain), for tests that sign in and then expect nothing else
    to change."""
    found = snapshot(db)
    with db.read() as conn:
        noted = conn.execute(
            text("SELECT seq FROM audit_log WHERE action LIKE 'sessions.%'")
        ).scalars()
        session_audit = {str(seq) for seq in noted}
        chained = conn.execute(text("SELECT seq, table_name, row_key FROM row_chain")).all()
    sign_in_links = {
        seq
        for seq, table, key in chained
        if table in _SESSION_TABLES or (table == "audit_log" and key in session_audit)
    }
    for table in (*_SESSION_TABLES, "row_chain_head"):
        found.pop(table, None)
    found["audit_log"] = [r for r in found["audit_log"] if not str(r[5]).startswith("sessions.")]
    found["row_chain"] = [r for r in found["row_chain"] if r[0] not in sign_in_links]
    return found


DIRECT = "ua-us-2025-04-30-direct"


def direct_agreement(folder: Path) -> Path:
    """The agreement's terms without its contribution cycle: each receipt credited on its own
    day at that day's rate, as the 2025 drafts book. Tests of that booking path (summary
    entries, corrections, conversion) use it with the agreement's inflow rules."""
    sheet = load_terms(DEFAULT_PRESET)
    direct = sheet.model_copy(
        update={"cycle": None, "metadata": sheet.metadata.model_copy(update={"id": DIRECT})}
    )
    path = folder / "direct-terms.yaml"
    path.write_text(terms_to_yaml(direct), encoding="utf-8")
    return path
