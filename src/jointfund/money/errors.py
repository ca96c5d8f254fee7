"""The errors the money package raises beyond jointfund.errors, kept in one place for adapters."""

from __future__ import annotations

from datetime import date

from jointfund.errors import InputError, JointfundError, NotFoundError
from jointfund.i18n.message import Message


class AmountError(InputError):
    """Not an amount in the currency. An input error in its own right (so it never escapes as
    a traceback); readers that know where the amount came from re-raise its message as a
    located Problem."""

    @property
    def reason(self) -> str:
        """What is wrong, as its catalogue Message, for a reader that re-raises it located."""
        return self.problems[0].message


class CurrencyMismatchError(JointfundError):
    """Two amounts in different currencies were added, subtracted or ordered."""

    code = "currency_mismatch"

    def __init__(self, left: str, right: str, operation: Message) -> None:
        self.left = left
        self.right = right
        super().__init__(
            Message(
                "cannot {operation} {left} and {right} amounts",
                operation=operation,
                left=left,
                right=right,
            )
        )


class MissingRateError(NotFoundError):
    """No usable FX rate exists for a currency pair on a date."""

    def __init__(self, base: str, quote: str, on: date, max_age_days: int) -> None:
        self.base = base
        self.quote = quote
        self.on = on
        self.max_age_days = max_age_days
        super().__init__(
            Message(
                "no {base}/{quote} rate on {on} or in the {days} days before",
                base=base,
                quote=quote,
                on=on,
                days=max_age_days,
            )
        )
