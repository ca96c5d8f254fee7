"""The term-sheet rules the vectorised forecast engine applies, as one flat frozen record."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message

if TYPE_CHECKING:
    from jointfund.terms.schema import TermSheet

Partner = Literal["US", "UA"]
PARTNERS: tuple[Partner, Partner] = ("US", "UA")
STREAMS = frozenset({"royalty", "permit_fee", "psa_state_share", "bonus"})


@dataclass(frozen=True, slots=True)
class ForecastTerms:
    """What the engine needs from a term sheet; every field has the final-agreement default.

    fund_share: share of eligible state receipts paid into the fund.
    basis: "gross" receipts, or "net" of the state's costs (February 2025 drafts).
    new_only: only new licences/permits/PSAs count (26 Feb framework onwards).
    covered_resources: commodities that count; None means every commodity.
    streams: which receipt streams count (royalty, permit_fee, psa_state_share, bonus).
    liberated_share: share applied to deposits occupied at signing once liberated (21 Feb draft).
    inflow_credits_capital: deal inflows build Ukraine's capital account (False: fund income).
    ownership: "contributions" (pro rata to capital) or "us_all" (100% U.S. financial interest).
    threshold_total_usd: Ukrainian inflows stop once their total reaches this (21 Feb draft).
    threshold_raised_by_us_aid: later U.S. aid raises the threshold by ua_multiple x the aid.
    priority_senior / priority_rate / priority_initial_usd: one partner takes fund income first
        until its initial amount plus a yearly rate is repaid (March 2025 U.S. draft).
    lock_years: years from the start with no pro-rata distributions.
    distribution: "pro_rata_capital" after the lock, or "none".
    payout_fraction: share of the distributable income paid out in an unlocked year.
    payout_rule: what is distributable after the lock: "positive_income" (each year's income
        when positive; losses stay in the fund and are never made good), or "net_of_losses"
        (income after making good the losses carried forward since the lock).
    transfer_lag_years: years from a receipt to the transfer that credits it (the term sheet's
        contribution cycle: 1 when a year's receipts are transferred by a deadline in the next
        year; 0 when each receipt is credited as it is received, as in the 2025 drafts).
    fx_at_transfer: the transferred receipts (in hryvnias) are valued at the transfer year's
        rate, not the receipt year's (a U.S.-dollar PSA bonus keeps its amount).
    """

    preset_id: str = "custom"
    fund_share: float = 0.5
    basis: Literal["gross", "net"] = "gross"
    new_only: bool = True
    covered_resources: frozenset[str] | None = None
    streams: frozenset[str] = field(default_factory=lambda: STREAMS)
    liberated_share: float | None = None
    inflow_credits_capital: bool = True
    ownership: Literal["contributions", "us_all"] = "contributions"
    threshold_total_usd: float | None = None
    threshold_raised_by_us_aid: bool = False
    ua_multiple: float = 1.0
    priority_senior: Partner | None = None
    priority_rate: float = 0.0
    priority_initial_usd: float = 0.0
    lock_years: int = 10
    distribution: Literal["pro_rata_capital", "none"] = "pro_rata_capital"
    payout_fraction: float = 1.0
    payout_rule: Literal["positive_income", "net_of_losses"] = "positive_income"
    transfer_lag_years: int = 0
    fx_at_transfer: bool = False

    def covers(self, commodity: str) -> bool:
        """True when receipts from this commodity flow into the fund."""
        return self.covered_resources is None or commodity in self.covered_resources

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (sets become sorted lists)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = sorted(value) if isinstance(value, frozenset) else value
        return out


def forecast_terms_from_fields(data: dict[str, Any]) -> ForecastTerms:
    """Build ForecastTerms from plain (already validated) scenario data."""
    kwargs = dict(data)
    if kwargs.get("covered_resources") is not None:
        kwargs["covered_resources"] = frozenset(kwargs["covered_resources"])
    if kwargs.get("streams") is not None:
        kwargs["streams"] = frozenset(kwargs["streams"])
    return ForecastTerms(**kwargs)


# jointfund.terms resource slugs that the forecast splits into several commodities
_SLUG_TO_COMMODITIES = {"coal": ("coking_coal", "thermal_coal"), "shale_gas": ("natural_gas",)}


def engine_stream(book_stream: str) -> str:
    """The engine's name for a revenue stream the books use (auction proceeds count as fees)."""
    return _STREAM_MAP[book_stream]


_STREAM_MAP = {
    "royalty": "royalty",
    "permit_fee": "permit_fee",
    "auction_proceeds": "permit_fee",
    "psa_state_share": "psa_state_share",
    "signature_bonus": "bonus",
}


def _commodities(selection: str | tuple[str, ...]) -> frozenset[str] | None:
    from jointfund.terms import covered_resources

    if selection == "all":
        return None
    slugs = [r.slug for r in covered_resources()] if selection == "covered" else list(selection)
    out: set[str] = set()
    for slug in slugs:
        out.update(_SLUG_TO_COMMODITIES.get(slug, (slug,)))
    return frozenset(out)


def forecast_terms_from(sheet: TermSheet) -> ForecastTerms:
    """Translate a jointfund.terms TermSheet into the engine's flat ForecastTerms.

    Raises InputError for rules the forecast cannot represent (several inflow shares, partners
    other than US/UA, fixed distribution shares other than all-to-one-partner).
    """
    sid = sheet.metadata.id
    problems: list[Problem] = []
    ids = {p.id for p in sheet.partners}
    if ids != {"US", "UA"}:
        said = Message("forecast supports partners US and UA only")
        problems.append(Problem(said, field="partners"))
    rules = [r for r in sheet.inflow if r.credit_partner == "UA"]
    if not rules:
        problems.append(Problem(Message("no inflow rule credits UA"), field="inflow"))
    keys = {
        (r.share, r.basis, r.licences, r.resources, r.liberated_share, r.credit_to) for r in rules
    }
    if len(keys) > 1:
        problems.append(
            Problem(
                Message(
                    "inflow rules differ in share, basis, scope or credit; the forecast needs one"
                ),
                field="inflow",
            )
        )
    dist = sheet.distribution
    ownership: Literal["contributions", "us_all"] = "contributions"
    if dist.method == "fixed_shares":
        shares = {k: float(v) for k, v in (dist.shares or {}).items()}
        if shares.get("US") == 1.0:
            ownership = "us_all"
        else:
            problems.append(
                Problem(
                    Message("fixed shares other than 100% to US are not modelled"),
                    field="distribution.shares",
                )
            )
    if problems:
        raise InputError([Problem(p.message, file=sid, field=p.field) for p in problems])
    rule = rules[0]
    streams = frozenset(_STREAM_MAP[str(s)] for r in rules for s in r.streams)
    threshold = sheet.threshold
    priority = sheet.priority
    past = sheet.contribution.past_aid
    lag, fx_at_transfer = _cycle_timing(sheet)
    initial = 0.0
    if priority is not None and past is not None and past.partner == priority.senior_partner:
        initial = float(past.amount)
    return ForecastTerms(
        preset_id=sid,
        fund_share=float(rule.share),
        basis="gross" if rule.basis == "gross" else "net",
        new_only=rule.licences == "new_only",
        covered_resources=_commodities(rule.resources),
        streams=streams,
        liberated_share=None if rule.liberated_share is None else float(rule.liberated_share),
        inflow_credits_capital=rule.credit_to == "capital",
        ownership=ownership,
        threshold_total_usd=None if threshold is None else float(threshold.total),
        threshold_raised_by_us_aid=threshold is not None and threshold.raised_by_aid_of == "US",
        ua_multiple=1.0 if threshold is None else float(threshold.raise_factor),
        priority_senior=None if priority is None else priority.senior_partner,  # type: ignore[arg-type]
        priority_rate=0.0 if priority is None else float(priority.rate),
        priority_initial_usd=initial,
        lock_years=0 if sheet.lock is None else sheet.lock.years,
        distribution="pro_rata_capital",
        transfer_lag_years=lag,
        fx_at_transfer=fx_at_transfer,
    )


def _cycle_timing(sheet: TermSheet) -> tuple[int, bool]:
    """(transfer lag in years, FX at transfer?) from the sheet's contribution cycle, if any."""
    from jointfund.terms.cycle import FxDate

    cycle = sheet.cycle
    if cycle is None or cycle.partner != "UA":
        return 0, False
    period = 2025  # any accrual year: the lag is the deadline's year less the period's
    return cycle.transfer_due(period).year - period, cycle.fx_date is FxDate.TRANSFER_DATE


def forecast_terms_from_preset(preset_id_or_path: str | Path) -> ForecastTerms:
    """Load a jointfund.terms preset (or term-sheet file) and translate it."""
    from jointfund.terms import load_terms

    return forecast_terms_from(load_terms(preset_id_or_path))
