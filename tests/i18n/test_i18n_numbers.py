"""A number inside a message is written the reader's way whatever made it: a Python int or
float, a Decimal, or a NumPy scalar the forecast computes (a float32 share, an int64 count);
a year, a row or an id keeps its plain digits."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from jointfund.i18n import language
from jointfund.i18n.message import Message, localised


@pytest.mark.parametrize(
    "share", [0.25, np.float32(0.25), np.float64(0.25), Decimal("0.25")], ids=repr
)
def test_a_share_reads_with_a_decimal_comma_in_ukrainian(share: object) -> None:
    said = Message("share: {share:.1%}", share=share)
    assert str(said) == "share: 25.0%"
    with language("uk"):
        assert localised(said).endswith("25,0%")


@pytest.mark.parametrize("count", [1234567, np.int64(1234567)], ids=repr)
def test_a_grouped_count_reads_with_spaces_and_a_year_keeps_its_digits(count: object) -> None:
    with language("uk"):
        assert localised(Message("{n:,} paths", n=count)).startswith("1\xa0234\xa0567")
        assert localised(Message("year {year}", year=np.int64(2035))).endswith("2035")
        assert localised(Message("{n:.0%}", n=0)).startswith("0")
        assert "." not in localised(Message("{n:.1%}", n=0))
