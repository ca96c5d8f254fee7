"""Partners admitted by the board after the fund was set up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from jointfund.errors import ConflictError
from jointfund.i18n.message import Message
from jointfund.store.row_chain import chain_inserted
from jointfund.store.tables.governance import admitted_partners


def insert_admitted_partner(
    conn: Connection, *, proposal_id: int, partner_id: str, name: str, legal_entity: str, on: date
) -> None:
    """Record a partner admitted by an approved proposal."""
    if conn.execute(
        select(admitted_partners.c.partner_id).where(admitted_partners.c.partner_id == partner_id)
    ).first():
        raise ConflictError(
            Message("partner {partner_id} was admitted already", partner_id=partner_id)
        )
    key = conn.execute(
        admitted_partners.insert().values(
            partner_id=partner_id,
            proposal_id=proposal_id,
            name=name,
            legal_entity=legal_entity,
            admitted_on=on,
        )
    ).inserted_primary_key
    chain_inserted(conn, admitted_partners, key)
