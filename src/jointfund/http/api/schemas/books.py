"""Shapes of the books as an auditor traces them: trial balance, balance sheet, an entry's
filings, and one account's history. Money is integer minor units plus exact decimal text."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from jointfund.fund.trace import AccountHistory, FilingRow
from jointfund.fund.trial_balance import SECTIONS, BalanceSheet, TrialBalance
from jointfund.money import format_amount


class TrialLineOut(BaseModel):
    """One account's balance as a debit or a credit (the other is 0)."""

    account: str
    currency: str
    debit_minor: int
    credit_minor: int
    debit: str
    credit: str


class CurrencyTotalOut(BaseModel):
    """Debits and credits of one currency, and whether they agree."""

    currency: str
    debits_minor: int
    credits_minor: int
    balanced: bool


class TrialBalanceOut(BaseModel):
    """Every account with a balance at the end of `as_of` (null: now), totals per currency."""

    as_of: date | None
    balanced: bool = Field(description="Debits equal credits in every currency")
    lines: list[TrialLineOut]
    totals: list[CurrencyTotalOut]


def trial_balance_out(found: TrialBalance) -> TrialBalanceOut:
    """A trial balance as its API shape."""
    currencies = sorted(set(found.debits) | set(found.credits))
    return TrialBalanceOut(
        as_of=found.as_of,
        balanced=found.balanced,
        lines=[
            TrialLineOut(
                account=x.account,
                currency=x.currency,
                debit_minor=x.debit,
                credit_minor=x.credit,
                debit=format_amount(x.debit, x.currency),
                credit=format_amount(x.credit, x.currency),
            )
            for x in found.lines
        ],
        totals=[
            CurrencyTotalOut(
                currency=c,
                debits_minor=found.debits.get(c, 0),
                credits_minor=found.credits.get(c, 0),
                balanced=found.debits.get(c, 0) == found.credits.get(c, 0),
            )
            for c in currencies
        ],
    )


class SheetLineOut(BaseModel):
    """One account in its natural sign (a liability's credit balance is positive)."""

    account: str
    currency: str
    amount_minor: int
    amount: str


class SheetSectionOut(BaseModel):
    """Assets, liabilities or equity: the accounts and the total per currency (minor units)."""

    kind: str
    lines: list[SheetLineOut]
    totals_minor: dict[str, int]


class BalanceSheetOut(BaseModel):
    """The balance sheet at the end of `as_of` (null: now), per currency as booked."""

    as_of: date | None
    sections: list[SheetSectionOut]
    result_minor: dict[str, int] = Field(description="Income less expenses, per currency")
    balanced: dict[str, bool] = Field(
        description="Per currency: assets equal liabilities, equity and the result"
    )


def balance_sheet_out(sheet: BalanceSheet) -> BalanceSheetOut:
    """A balance sheet as its API shape."""
    return BalanceSheetOut(
        as_of=sheet.as_of,
        sections=[
            SheetSectionOut(
                kind=kind.value,
                lines=[
                    SheetLineOut(
                        account=x.account,
                        currency=x.currency,
                        amount_minor=x.amount,
                        amount=format_amount(x.amount, x.currency),
                    )
                    for x in sheet.sections[kind]
                ],
                totals_minor=dict(sorted(sheet.totals[kind].items())),
            )
            for kind in SECTIONS
        ],
        result_minor=dict(sorted(sheet.result.items())),
        balanced={c: sheet.balanced(c) for c in sheet.currencies()},
    )


class EntryFilingOut(BaseModel):
    """A filing version an entry booked: its licence, receipt day and the FX rate used."""

    id: int
    payer_reference: str
    version: int
    licence_id: str
    period: str
    stream: str
    received_on: date
    currency: str
    gross_minor: int
    fund_minor: int
    reporting_minor: int
    fx_rate: str | None = Field(description="The rate used, e.g. 'USD/UAH 41.2 on 2026-02-15'")
    entry_key: str | None


class EntryFilingsOut(BaseModel):
    """A page of an entry's filings in id order; `count` is how many there are in all."""

    entry_key: str
    count: int
    items: list[EntryFilingOut]
    next: str | None = Field(description="The next page's URL, or null on the last page")


def entry_filing_out(row: FilingRow) -> EntryFilingOut:
    """A filing row as its API shape."""
    return EntryFilingOut(
        id=row.id,
        payer_reference=row.payer_reference,
        version=row.version,
        licence_id=row.licence_id,
        period=row.period,
        stream=row.stream,
        received_on=row.received_on,
        currency=row.currency,
        gross_minor=int(row.gross_minor),
        fund_minor=int(row.fund_minor),
        reporting_minor=int(row.reporting_minor),
        fx_rate=row.fx_rate,
        entry_key=row.entry_key,
    )


class AccountLineOut(BaseModel):
    """One posting to the account, with the balance after it (minor units)."""

    seq: int
    date: date
    kind: str
    memo: str
    amount_minor: int
    balance_minor: int


class AccountHistoryOut(BaseModel):
    """A page of one account's postings in chain order, with the balance before the page."""

    account: str
    currency: str
    count: int
    opening_minor: int
    items: list[AccountLineOut]
    next: str | None = Field(description="The next page's URL, or null on the last page")


def account_history_out(found: AccountHistory, next_url: str | None) -> AccountHistoryOut:
    """An account's history page as its API shape."""
    return AccountHistoryOut(
        account=found.account,
        currency=found.currency,
        count=found.count,
        opening_minor=found.opening,
        items=[
            AccountLineOut(
                seq=x.seq,
                date=x.day,
                kind=x.kind,
                memo=x.memo,
                amount_minor=x.amount,
                balance_minor=x.balance,
            )
            for x in found.lines
        ],
        next=next_url,
    )
