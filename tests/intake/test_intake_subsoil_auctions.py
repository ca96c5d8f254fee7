"""Prozorro.Sale subsoil auctions: proceeds and permit sales read, other procedures counted."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from jointfund.errors import InputError
from jointfund.intake.subsoil_auctions import (
    STREAM,
    AuctionLicence,
    auction_licence,
    read_subsoil_auctions,
)
from jointfund.terms import RevenueStream

SAMPLES = Path(__file__).parent / "samples"
PROCEDURES = SAMPLES / "prozorro_sale_procedures.json"
FEED = SAMPLES / "prozorro_sale_feed.jsonl"


def test_a_completed_auction_gives_proceeds_and_the_permit_sale() -> None:
    read = read_subsoil_auctions(PROCEDURES)
    assert read.skipped == 1  # the land lease
    line, sold = read.items[0]
    assert line == 2
    assert (sold.auction_id, sold.selling_method, sold.status) == (
        "SUE001-UA-20250915-10001",
        "subsoil-english",
        "complete",
    )
    assert (sold.published_on, sold.auction_on) == (date(2025, 9, 15), date(2025, 10, 15))
    assert (sold.start_minor, sold.guarantee_minor, sold.registration_fee_minor) == (
        150000000,
        15000000,
        151400,
    )
    assert (sold.winner, sold.winner_scheme, sold.winner_id) == (
        "ТОВАРИСТВО З ОБМЕЖЕНОЮ ВІДПОВІДАЛЬНІСТЮ «ПРИКЛАД НАДРА»",
        "UA-EDR",
        "12345678",
    )
    assert sold.region == "Житомирська область"
    assert sold.organiser_id == "37536031"
    assert sold.proceeds() == (date(2025, 10, 21), 211500000)
    assert STREAM is RevenueStream.AUCTION_PROCEEDS
    assert auction_licence(sold) == AuctionLicence(
        auction_id="SUE001-UA-20250915-10001",
        contract_number="ДП-2025/117",
        holder="ТОВАРИСТВО З ОБМЕЖЕНОЮ ВІДПОВІДАЛЬНІСТЮ «ПРИКЛАД НАДРА»",
        holder_registry_id="12345678",
        deposit="Ділянка «Приклад» (каолін первинний), Житомирська область",
        region="Житомирська область",
        sold_on=date(2025, 10, 21),
    )


def test_an_awarded_auction_without_a_contract_has_a_price_but_no_proceeds_yet() -> None:
    awarded = read_subsoil_auctions(PROCEDURES).records()[1]
    assert (awarded.winner_id, awarded.final_minor) == ("87654321", 80800000)
    assert awarded.proceeds() is None
    assert auction_licence(awarded) is None


def test_an_unsuccessful_auction_has_no_winner() -> None:
    unsold = read_subsoil_auctions(PROCEDURES).records()[2]
    assert (unsold.status, unsold.winner, unsold.final_minor) == ("unsuccessful", None, None)
    assert (unsold.start_minor, unsold.guarantee_minor) == (12000050, 1200005)


def test_a_feed_saved_as_json_lines_reads_the_same_auctions() -> None:
    feed = read_subsoil_auctions(FEED)
    array = read_subsoil_auctions(PROCEDURES).records()
    assert feed.records() == [array[0], array[2]]
    assert [line for line, _ in feed.items] == [2, 3]
    assert feed.skipped == 1


def test_one_pretty_printed_procedure(tmp_path: Path) -> None:
    one = json.loads(PROCEDURES.read_text(encoding="utf-8"))[0]
    path = tmp_path / "procedure.json"
    path.write_text(json.dumps(one, indent=2, ensure_ascii=False), encoding="utf-8")
    (auction,) = read_subsoil_auctions(path).records()
    assert auction.auction_id == "SUE001-UA-20250915-10001"


def _problems(tmp_path: Path, procedures: list[object]) -> list[tuple[int | None, str | None, str]]:
    path = tmp_path / "procedures.json"
    path.write_text("[\n" + ",\n".join(json.dumps(p) for p in procedures) + "\n]\n", "utf-8")
    with pytest.raises(InputError) as caught:
        read_subsoil_auctions(path)
    assert all(p.file == str(path) for p in caught.value.problems)
    return [(p.row, p.field, p.message) for p in caught.value.problems]


def _valid() -> dict[str, object]:
    procedure: dict[str, object] = json.loads(PROCEDURES.read_text(encoding="utf-8"))[0]
    return procedure


def test_malformed_subsoil_procedures_are_named_by_line_and_path(tmp_path: Path) -> None:
    bad_id = _valid() | {"auctionId": "SUE-1"}
    no_date = {k: v for k, v in _valid().items() if k != "datePublished"}
    bad_winner = _valid()
    contract = bad_winner["contracts"][0]  # type: ignore[index]
    contract["buyers"][0]["identifier"]["id"] = "1234"
    contract["contractTotalValue"] = {"currency": "USD", "amount": 1}
    bad_winner["awards"] = [{"status": "active", "value": {"amount": "-5", "currency": "UAH"}}]
    two_awards = _valid() | {"awards": [{"status": "active"}, {"status": "active"}]}
    assert _problems(tmp_path, [bad_id, no_date, bad_winner, two_awards, "SUE", {}]) == [
        (2, "auctionId", "not an auction id: 'SUE-1'"),
        (3, "datePublished", "missing"),
        (4, "awards[0].value.amount", "negative amount not allowed: '-5'"),
        (4, "contracts[0].contractTotalValue.currency", "USD, not the lot's UAH"),
        (4, "contracts[0].buyers[0].identifier.id", "not an EDRPOU code: '1234'"),
        (5, "awards", "2 active awards"),
        (6, None, "not a JSON object"),
        (7, "sellingMethod", "missing or not text"),
    ]


def test_the_same_auction_twice_is_refused(tmp_path: Path) -> None:
    assert _problems(tmp_path, [_valid(), _valid()]) == [
        (3, "auctionId", "auction SUE001-UA-20250915-10001 is already on row 2"),
    ]
