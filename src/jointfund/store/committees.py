"""Committee seatings and the recommendations members give to proposals."""

from __future__ import annotations

from sqlalchemy import Connection, select

from jointfund.clock import stamp, unstamp
from jointfund.governance.committees import Recommendation, Seating
from jointfund.store.row_chain import chain_inserted
from jointfund.store.tables.governance import committee_seatings, committee_votes


def insert_seating(conn: Connection, seating: Seating, *, by: int) -> None:
    """Record a user seated on, or leaving, a committee."""
    key = conn.execute(
        committee_seatings.insert().values(
            committee=seating.committee,
            user_id=seating.user_id,
            partner=seating.partner,
            seated=seating.seated,
            at=stamp(seating.at),
            by_user=by,
        )
    ).inserted_primary_key
    chain_inserted(conn, committee_seatings, key)


def seatings(conn: Connection) -> list[Seating]:
    """Every seating in the order it was recorded."""
    t = committee_seatings
    return [
        Seating(r.committee, int(r.user_id), r.partner, bool(r.seated), unstamp(r.at))
        for r in conn.execute(select(t).order_by(t.c.id))
    ]


def insert_vote(conn: Connection, vote: Recommendation) -> None:
    """Record one member's recommendation (the unique index refuses a second on one payload)."""
    key = conn.execute(
        committee_votes.insert().values(
            proposal_id=vote.proposal_id,
            committee=vote.committee,
            user_id=vote.user_id,
            partner=vote.partner,
            payload_hash=vote.payload_hash,
            voted_at=stamp(vote.at),
        )
    ).inserted_primary_key
    chain_inserted(conn, committee_votes, key)


def votes_of(conn: Connection, proposal_id: int) -> list[Recommendation]:
    """Every recommendation ever given to a proposal, any payload, in order."""
    t = committee_votes
    rows = conn.execute(select(t).where(t.c.proposal_id == proposal_id).order_by(t.c.id))
    return [
        Recommendation(
            int(r.proposal_id),
            r.committee,
            int(r.user_id),
            r.partner,
            r.payload_hash,
            unstamp(r.voted_at),
        )
        for r in rows
    ]
