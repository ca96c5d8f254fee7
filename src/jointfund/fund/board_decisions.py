"""Board decisions that book nothing: a change of terms, a partner admitted, a resolution."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jointfund import store
from jointfund.errors import GovernanceError
from jointfund.governance import Proposal, payloads
from jointfund.i18n.message import Message
from jointfund.ledger import Entry
from jointfund.store import Tx
from jointfund.terms import TermSheet, load_terms, parse_terms_yaml, terms_to_yaml


def validate_term_change(conn: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    parsed = payloads.term_change(payload)
    if parsed.preset is not None:
        load_terms(parsed.preset)
    elif parsed.terms_yaml is not None:
        parse_terms_yaml(parsed.terms_yaml, file="payload.terms_yaml")


def execute_term_change(conn: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    parsed = payloads.term_change(proposal.payload)
    sheet = (
        load_terms(parsed.preset)
        if parsed.preset is not None
        else parse_terms_yaml(parsed.terms_yaml or "", file="payload.terms_yaml")
    )
    store.term_sheets.insert_term_change(
        conn,
        proposal_id=proposal.id,
        terms_id=sheet.id,
        terms_yaml=terms_to_yaml(sheet),
        effective_on=parsed.on,
    )
    return []


def validate_admit(conn: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    parsed = payloads.admit_partner(payload)
    if parsed.partner_id in terms.partner_ids:
        raise GovernanceError(
            Message(
                "{partner_id} is a partner already under {terms}",
                partner_id=parsed.partner_id,
                terms=terms.id,
            )
        )


def execute_admit(conn: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    validate_admit(conn, proposal.payload, terms)
    parsed = payloads.admit_partner(proposal.payload)
    store.partners.insert_admitted_partner(
        conn,
        proposal_id=proposal.id,
        partner_id=parsed.partner_id,
        name=parsed.name,
        legal_entity=parsed.legal_entity,
        on=parsed.on,
    )
    return []


def validate_resolution(conn: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    payloads.board_resolution(payload)


def execute_resolution(conn: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    """A resolution books nothing: the executed proposal is the record of the decision."""
    payloads.board_resolution(proposal.payload)
    return []
