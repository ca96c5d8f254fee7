"""The double-entry ledger's domain: accounts, entries, hashing, verification, checkpoints."""

from jointfund.ledger.accounts import (
    Account,
    AccountType,
    account_name_problem,
    account_type,
    in_subtree,
    natural_sign,
)
from jointfund.ledger.checkpoint import Checkpoint
from jointfund.ledger.entries import (
    Entry,
    PostedEntry,
    Posting,
    PostResult,
    entry_problems,
    plainly_valid,
    reversal,
)
from jointfund.ledger.hashing import GENESIS_HASH, canonical_json, chain_hash, content_hash
from jointfund.ledger.verify import Finding, JournalReplay, VerifyReport, replay

__all__ = [
    "GENESIS_HASH",
    "Account",
    "AccountType",
    "Checkpoint",
    "Entry",
    "Finding",
    "JournalReplay",
    "PostResult",
    "PostedEntry",
    "Posting",
    "VerifyReport",
    "account_name_problem",
    "account_type",
    "canonical_json",
    "chain_hash",
    "content_hash",
    "entry_problems",
    "in_subtree",
    "natural_sign",
    "plainly_valid",
    "replay",
    "reversal",
]
