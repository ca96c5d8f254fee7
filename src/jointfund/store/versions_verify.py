"""Verifying the versioned tables (users, tokens, licences, proposals, accounts) against the
row chain: every row must be exactly the newest version the chain holds for it.

Each write of such a row chains its whole new state under `<row key>@<row_version>`
(`store.row_chain.bump_version`). A row edited behind the books' back no longer matches its
record (or names a version the chain never saw); a row set back to an older version matches
an old record but not the newest; a planted row has no record; a deleted one leaves records
with no row.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, select

from jointfund.i18n.message import Message
from jointfund.ledger import Finding
from jointfund.store.row_chain import RowCanon
from jointfund.store.tables.chain import row_chain


def versioned_findings(conn: Connection, table: Table, page: int = 2000) -> list[Finding]:
    """Every row of a versioned `table` that is not its newest chained version, and every
    chained row that is gone."""
    canon, name = RowCanon(table), str(table.name)
    assert canon.version_at is not None
    records: dict[str, tuple[int, str]] = {}
    newest: dict[str, int] = {}
    stmt = select(row_chain.c.row_key, row_chain.c.seq, row_chain.c.row_hash).where(
        row_chain.c.table_name == name
    )
    for key, seq, digest in conn.execute(stmt.execution_options(yield_per=page)):
        records[key] = (int(seq), digest)
        base, _, version = key.rpartition("@")
        if version.isdigit():
            newest[base] = max(newest.get(base, 0), int(version))
    found: list[Finding] = []
    seen: set[str] = set()
    pk = list(table.primary_key.columns)
    for part in conn.execute(
        select(table).order_by(*pk).execution_options(yield_per=page)
    ).partitions():
        for row in part:
            values = canon.spelled(tuple(row))
            base = canon.base_key(values)
            key, digest = canon.hashed(tuple(row))
            version = int(values[canon.version_at])
            seen.add(base)
            where = f"{name}:{base}"
            record = records.get(key)
            if record is None:
                found.append(
                    Finding(
                        Message(
                            "{name} row {base} (version {version}) has no row-chain "
                            "record: inserted or changed behind the books' back",
                            name=name,
                            base=base,
                            version=version,
                        ),
                        row=where,
                    )
                )
            elif record[1] != digest:
                found.append(
                    Finding(
                        Message(
                            "{name} row {base} differs from its version {version} in "
                            "row-chain record #{record_0}: edited behind the books' back",
                            name=name,
                            base=base,
                            version=version,
                            record_0=record[0],
                        ),
                        row=where,
                    )
                )
            elif newest.get(base, version) > version:
                found.append(
                    Finding(
                        Message(
                            "{name} row {base} is at version {version}, but the chain "
                            "holds version {value}: set back behind the books' back",
                            name=name,
                            base=base,
                            version=version,
                            value=newest[base],
                        ),
                        row=where,
                    )
                )
    found.extend(
        Finding(
            Message(
                "{name} row {base} is missing: chained up to version {value}, "
                "then deleted behind the books' back",
                name=name,
                base=base,
                value=newest[base],
            ),
            row=f"{name}:{base}",
        )
        for base in sorted(set(newest) - seen)
    )
    return found
