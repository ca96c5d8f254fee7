"""Period-close checkpoints: a small JSON each partner keeps to detect rewritten history."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message

FORMAT = "jointfund-checkpoint/1"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """State of the books at a close: last entry in the chain and balances as of `through`."""

    through: date
    last_seq: int
    last_hash: str
    entry_count: int
    balances: Mapping[str, Mapping[str, int]]  # account -> currency -> minor units
    # The row chain's head when the close was taken; None in checkpoints from before it existed.
    rows_seq: int | None = None
    rows_hash: str | None = None
    # Rows per protected table when the close was taken (so a verify from this checkpoint can
    # count what was added since); None in checkpoints from before it was kept.
    row_counts: Mapping[str, int] | None = None

    def to_json(self) -> str:
        """The file a partner keeps."""
        data: dict[str, Any] = {
            "format": FORMAT,
            "through": self.through.isoformat(),
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "entry_count": self.entry_count,
            "balances": {a: dict(sorted(c.items())) for a, c in sorted(self.balances.items())},
        }
        if self.rows_seq is not None:
            data["rows_seq"] = self.rows_seq
            data["rows_hash"] = self.rows_hash
        if self.row_counts is not None:
            data["row_counts"] = dict(sorted(self.row_counts.items()))
        return json.dumps(data, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, *, source: str = "checkpoint") -> Checkpoint:
        """Read a checkpoint file, naming the field that is wrong."""
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                [
                    Problem(
                        Message("not JSON: {reason}", reason=exc.msg), file=source, row=exc.lineno
                    )
                ]
            ) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError(
                [Problem(Message("not a jointfund checkpoint"), file=source, field="format")]
            )
        try:
            return cls(
                through=date.fromisoformat(data["through"]),
                last_seq=int(data["last_seq"]),
                last_hash=str(data["last_hash"]),
                entry_count=int(data["entry_count"]),
                balances={
                    str(a): {str(c): int(v) for c, v in cur.items()}
                    for a, cur in data["balances"].items()
                },
                rows_seq=int(data["rows_seq"]) if "rows_seq" in data else None,
                rows_hash=str(data["rows_hash"]) if "rows_seq" in data else None,
                row_counts=(
                    {str(t): int(n) for t, n in data["row_counts"].items()}
                    if "row_counts" in data
                    else None
                ),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(
                [Problem(Message("malformed checkpoint: {reason}", reason=str(exc)), file=source)]
            ) from exc
