"""Small input files and a database snapshot helper for the booking tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from jointfund.store import Database
from jointfund.store.tables.ledger import metadata

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
