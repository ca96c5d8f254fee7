"""An error's own words carried into a located Problem: the catalogue Message it was raised
with (not `str(error)`, which is English only), so the Problem is said in the reader's language."""

from __future__ import annotations

from jointfund.errors import InputError, JointfundError


def reason(error: JointfundError) -> str:
    """What `error` says, as raised: its Message when it has one; the same English as
    `str(error)` in every case."""
    if isinstance(error, InputError):
        only = error.problems[0] if len(error.problems) == 1 else None
        # An unlocated problem with no expectation reads as its message alone.
        if only is not None and str(only) == only.message:
            return only.message
        return str(error)
    said = error.args[0] if len(error.args) == 1 else None
    return said if isinstance(said, str) else str(error)
