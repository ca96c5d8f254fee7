"""The errors the money package raises beyond jointfund.errors, kept in one place for adapters."""

from __future__ import annotations

from datetime import date

from jointfund.errors import InputError, JointfundError, NotFoundError


class AmountError(InputError):
    """Not an amount in the currency. An input error in its own right (so it never escapes as
    a traceback); readers that know where the amount came from re-raise its message as a
    located Problem."""


class CurrencyMismatchError(JointfundError):
    """Two amounts in different currencies were added, subtracted or ordered."""

    code = "currency_mismatch"

    def __init__(self, left: str, right: str, operation: str) -> None:
        self.left = left
        self.right = right
        super().__init__(f"cannot {operation} {left} and {right} amounts")


class MissingRateError(NotFoundError):
    """No usable FX rate exists for a currency pair on a date."""

    def __init__(self, base: str, quote: str, on: date, max_age_days: int) -> None:
        self.base = base
        self.quote = quote
        self.on = on
        self.max_age_days = max_age_days
        super().__init__(
            f"no {base}/{quote} rate on {on.isoformat()} or in the {max_age_days} days before"
        )
