"""Typed access to the fields of one JSON object read from a file: each problem is recorded
against the field's JSON path (text, multilingual text, object, date, amount), so a reader lists
every problem of a record instead of stopping at the first."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from jointfund.i18n.message import Message
from jointfund.intake.cells import Cells, looks_like_formula
from jointfund.money import AmountError, is_currency, parse_amount

_MAX_TEXT = 10_000


class JsonFields:
    """One JSON object and where its problems go."""

    def __init__(self, at: Cells, data: Mapping[str, Any]) -> None:
        self.at = at
        self.data = data

    def text(
        self,
        obj: Mapping[str, Any],
        path: str,
        *,
        required: bool = True,
        key: str | None = None,
    ) -> str | None:
        """A text field (named by its last path part unless `key` says otherwise)."""
        value = obj.get(key or path.rsplit(".", 1)[-1])
        if value is None:
            if required:
                self.at.problem(path, Message("missing"), Message("a value"))
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
            self.at.problem(
                path, Message("not text: {value}", value=show(value)), Message("a short text")
            )
            return None
        if looks_like_formula(value):
            self.at.problem(
                path, Message("looks like a spreadsheet formula"), Message("plain text")
            )
            return None
        return value.strip()

    def multilang(self, obj: Mapping[str, Any], key: str) -> str:
        """The Ukrainian text of a {"uk_UA": ...} field (or a plain string), "" if absent."""
        value = obj.get(key)
        if isinstance(value, Mapping):
            value = value.get("uk_UA", value.get("en_US"))
        if value is None:
            return ""
        if not isinstance(value, str) or len(value) > _MAX_TEXT:
            self.at.problem(
                key, Message("not text: {value}", value=show(value)), Message('{"uk_UA": "..."}')
            )
            return ""
        if looks_like_formula(value):
            self.at.problem(key, Message("looks like a spreadsheet formula"), Message("plain text"))
            return ""
        return value.strip()

    def mapping(
        self,
        obj: Mapping[str, Any],
        path: str,
        *,
        required: bool = True,
        key: str | None = None,
    ) -> Mapping[str, Any] | None:
        value = obj.get(key or path.rsplit(".", 1)[-1])
        if value is None:
            if required:
                self.at.problem(path, Message("missing"), Message("an object"))
            return None
        if not isinstance(value, Mapping):
            self.at.problem(
                path, Message("not an object: {value}", value=show(value)), Message("an object")
            )
            return None
        return value

    def day(self, obj: Mapping[str, Any], path: str, *, required: bool = True) -> date | None:
        """The date of an ISO 8601 date-time field, as written (its own offset)."""
        text = self.text(obj, path, required=required)
        if text is None:
            return None
        try:
            day = datetime.fromisoformat(text).date()
        except ValueError:
            self.at.problem(
                path,
                Message("not a date-time: {text!r}", text=text),
                Message("ISO 8601, e.g. 2021-04-22T11:25:00+03:00"),
            )
            return None
        return self.at.in_range(path, day, Message("ISO 8601, e.g. 2021-04-22T11:25:00+03:00"))

    def value(
        self,
        obj: Mapping[str, Any],
        path: str,
        *,
        required: bool = True,
        currency: str | None = None,
    ) -> tuple[int, str] | None:
        """A {"amount", "currency"} value in minor units; the currency must be the lot's."""
        found = self.mapping(obj, path, required=required)
        if found is None:
            return None
        code = found.get("currency", "UAH")
        if not isinstance(code, str) or not is_currency(code):
            self.at.problem(
                f"{path}.currency",
                Message("unknown currency {value}", value=show(code)),
                Message("ISO 4217"),
            )
            return None
        if currency is not None and code != currency:
            self.at.problem(
                f"{path}.currency",
                Message("{code}, not the lot's {currency}", code=code, currency=currency),
                currency,
            )
            return None
        amount = found.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, Decimal | int | str):
            self.at.problem(
                f"{path}.amount",
                Message("not an amount: {value}", value=show(amount)),
                Message("a number"),
            )
            return None
        if isinstance(amount, Decimal) and amount.is_finite() and abs(amount.adjusted()) > 30:
            # Written out, 1e999999999 would be a billion digits long.
            self.at.problem(
                f"{path}.amount",
                Message("amount out of range"),
                Message("an amount in {code}", code=code),
            )
            return None
        text = format(amount, "f") if isinstance(amount, Decimal) else str(amount)
        try:
            return parse_amount(text, code, allow_negative=False), code
        except AmountError as exc:
            self.at.problem(
                f"{path}.amount",
                Message("{reason}: {value}", reason=exc.problems[0].message, value=show(amount)),
                Message("an amount in {code}", code=code),
            )
            return None


def show(value: object) -> str:
    """A short form of a JSON value for a message."""
    if isinstance(value, Mapping | list):
        return type(value).__name__
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
