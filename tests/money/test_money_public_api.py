"""The money package's public names are deliberate: this pins them."""

import jointfund.money

PUBLIC = {
    "AmountError",
    "Currency",
    "CurrencyMismatchError",
    "FxRate",
    "MissingRateError",
    "Money",
    "RateTable",
    "Rounding",
    "allocate",
    "convert",
    "currency",
    "exponent",
    "format_amount",
    "from_decimal",
    "is_currency",
    "parse_amount",
    "split_share",
    "to_decimal",
}


def test_all_is_pinned() -> None:
    assert set(jointfund.money.__all__) == PUBLIC
    assert len(jointfund.money.__all__) == len(PUBLIC)


def test_every_public_name_resolves_and_is_documented() -> None:
    for name in jointfund.money.__all__:
        obj = getattr(jointfund.money, name)
        assert obj.__doc__, name
