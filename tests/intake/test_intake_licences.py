"""Reading the licence register from CSV and JSON into exact LicenceRecords."""

from datetime import date
from pathlib import Path

import pytest

from jointfund.errors import InputError
from jointfund.intake.licences import read_licences
from jointfund.intake.records import LicenceRecord
from jointfund.terms import Instrument, Territory

SAMPLES = Path(__file__).parent / "samples"
HEADER = "licence_id,holder,holder_registry_id,deposit,resources,oblast,instrument,issued_on,status"

EXPECTED = [
    LicenceRecord(
        licence_id="UA-LI-0001",
        holder="Ukrainian Lithium, LLC",
        holder_registry_id="44556677",
        deposit="Dobra",
        resources=("lithium", "titanium"),
        oblast="Kirovohrad",
        instrument=Instrument.SPECIAL_PERMIT,
        issued_on=date(2025, 6, 30),
        status="active",
        is_new=None,
        territory=Territory.CONTROLLED,
    ),
    LicenceRecord(
        licence_id="UA-PSA-0002",
        holder="Black Sea Energy PLC",
        holder_registry_id="GB-12345678",
        deposit="Black Sea shelf block 3",
        resources=("natural_gas",),
        oblast="Odesa",
        instrument=Instrument.PSA,
        issued_on=date(2024, 11, 5),
        status="suspended",
        is_new=True,
        territory=Territory.FRONTLINE,
    ),
    LicenceRecord(
        licence_id="UA-LI-0003",
        holder="Shevchenko Mining",
        holder_registry_id="33221100",
        deposit="Shevchenkivske",
        resources=("lithium",),
        oblast="Donetsk",
        instrument=Instrument.SPECIAL_PERMIT,
        issued_on=date(2021, 3, 15),
        status="expired",
        is_new=False,
        territory=Territory.OCCUPIED,
    ),
]


def test_csv_register_reads_into_exact_records() -> None:
    read = read_licences(SAMPLES / "licences.csv")
    assert read.path == str(SAMPLES / "licences.csv")
    assert [line for line, _ in read.items] == [2, 3, 4]
    assert read.records() == EXPECTED


def test_json_register_reads_into_the_same_records() -> None:
    read = read_licences(SAMPLES / "licences.json")
    assert [line for line, _ in read.items] == [2, 5, 9]
    assert read.records() == EXPECTED


def test_csv_and_json_shapes_are_told_apart_by_content_for_other_names(tmp_path: Path) -> None:
    path = tmp_path / "register.txt"
    path.write_bytes((SAMPLES / "licences.json").read_bytes())
    assert read_licences(path).records() == EXPECTED


def _refused(
    tmp_path: Path, body: str, suffix: str = ".csv"
) -> list[tuple[int | None, str | None]]:
    path = tmp_path / f"licences{suffix}"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_licences(path)
    return [(p.row, p.field) for p in caught.value.problems]


def test_every_bad_cell_of_a_licence_row_is_named(tmp_path: Path) -> None:
    body = f"{HEADER},is_new,territory\n ,H,1,D,,Odesa,permit,2025-5-1,Active,yes,annexed\n"
    assert _refused(tmp_path, body) == [
        (2, "licence_id"),
        (2, "resources"),
        (2, "instrument"),
        (2, "issued_on"),
        (2, "status"),
        (2, "is_new"),
        (2, "territory"),
    ]


def test_a_resource_named_twice_under_two_names_is_refused(tmp_path: Path) -> None:
    body = f"{HEADER}\nUA-1,H,1,D,lithium;spodumene,Odesa,psa,2025-05-01,active\n"
    assert _refused(tmp_path, body) == [(2, "resources")]


def test_json_licences_must_have_the_right_types(tmp_path: Path) -> None:
    body = (
        '[{"licence_id": 7, "holder": "H", "holder_registry_id": "1", "deposit": "D",'
        ' "resources": "lithium", "oblast": "Odesa", "instrument": "psa",'
        ' "issued_on": "2025-05-01", "status": "active", "colour": "red"}]'
    )
    assert _refused(tmp_path, body, ".json") == [(1, "colour"), (1, "licence_id"), (1, "resources")]


def test_progress_is_reported_every_ten_thousand_rows_and_at_the_end(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = (f"UA-{i},H,1,D,lithium,Odesa,psa,2025-05-01,active" for i in range(10_500))
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    calls: list[int] = []
    assert len(read_licences(path, progress=calls.append).items) == 10_500
    assert calls == [10_000, 10_500]
