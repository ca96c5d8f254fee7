"""Money: integer minor units in one ISO 4217 currency, with currency-safe arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jointfund.i18n.message import Message
from jointfund.money.allocation import Weight, allocate
from jointfund.money.amount import MAX_MINOR, format_amount, parse_amount
from jointfund.money.currency import currency as lookup_currency
from jointfund.money.currency import is_currency
from jointfund.money.errors import AmountError, CurrencyMismatchError


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: `minor` units (cents for USD, kopiyky for UAH) of `currency`."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        """Refuse floats, bools, unknown currencies and values beyond the 64-bit store range."""
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise TypeError(f"minor units must be int, not {type(self.minor).__name__}")
        if not is_currency(self.currency):
            lookup_currency(self.currency)  # raises InputError that says what is wrong
        if not -MAX_MINOR <= self.minor <= MAX_MINOR:
            raise AmountError(Message("amount out of range: {minor} minor units", minor=self.minor))

    @classmethod
    def parse(cls, text: str, currency: str, *, allow_negative: bool = True) -> Money:
        """Parse a decimal string such as "1234.56" as an amount of `currency`."""
        return cls(parse_amount(text, currency, allow_negative=allow_negative), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Return nothing of `currency`, the start of a sum."""
        return cls(0, currency)

    def _same(self, other: Money, operation: Message) -> None:
        """Raise CurrencyMismatchError unless `other` is in this currency."""
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency, operation)

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, Message("add"))
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, Message("subtract"))
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(abs(self.minor), self.currency)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, Message("compare"))
        return self.minor < other.minor

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, Message("compare"))
        return self.minor <= other.minor

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, Message("compare"))
        return self.minor > other.minor

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, Message("compare"))
        return self.minor >= other.minor

    def to_decimal(self) -> Decimal:
        """Return the exact value in major units, e.g. Decimal("1234.56")."""
        return Decimal(format_amount(self.minor, self.currency))

    def format(self, *, grouping: bool = False) -> str:
        """Render as "1234.56 USD", or "1,234.56 USD" with grouping."""
        return f"{format_amount(self.minor, self.currency, grouping=grouping)} {self.currency}"

    def __str__(self) -> str:
        return self.format()

    def allocate(self, weights: Sequence[Weight]) -> list[Money]:
        """Split into parts proportional to `weights` that sum exactly to this amount."""
        return [Money(part, self.currency) for part in allocate(self.minor, weights)]
