"""The licence register (CSV or JSON) read into LicenceRecords, every problem located.

CSV columns: licence_id, holder, holder_registry_id, deposit, resources (names or aliases
separated by ";"), oblast, instrument (special_permit | psa), issued_on (YYYY-MM-DD), status
(active | suspended | revoked | expired); optional is_new (true | false | blank = let the issue
date decide) and territory (controlled | frontline | occupied, blank = controlled). JSON: an
array (or JSON Lines) of objects with the same keys, resources as a list, is_new a boolean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.intake.cells import Cells
from jointfund.intake.records import LICENCE_STATUSES, LicenceRecord, LicenceStatus, Read
from jointfund.intake.sources import Located, csv_rows, json_records, read_text
from jointfund.terms import Instrument, Territory, all_resources, resource

REQUIRED = (
    "licence_id",
    "holder",
    "holder_registry_id",
    "deposit",
    "resources",
    "oblast",
    "instrument",
    "issued_on",
    "status",
)
OPTIONAL = ("is_new", "territory")
_INSTRUMENTS = tuple(i.value for i in Instrument)
_TERRITORIES = tuple(t.value for t in Territory)
_PROGRESS_EVERY = 10_000
_SLUGS = frozenset(r.slug for r in all_resources())


def read_licences(
    path: Path, *, progress: Callable[[int], None] | None = None, name: str | None = None
) -> Read[LicenceRecord]:
    """Read a licence register; on any problem raise one InputError listing them all."""
    label = name or str(path)
    text = read_text(path, name=label)
    problems: list[Problem] = []
    if _is_json(path, text):
        rows: Iterable[Located] = _json_rows(text, label, problems)
    else:
        rows = _csv_rows(text, label, problems)
    found: list[tuple[int, LicenceRecord]] = []
    first_line: dict[str, int] = {}
    count = 0
    for row in rows:
        count += 1
        if progress is not None and count % _PROGRESS_EVERY == 0:
            progress(count)
        record = _licence(row, label, problems)
        if record is None:
            continue
        earlier = first_line.setdefault(record.licence_id, row.line)
        if earlier != row.line:
            problems.append(
                Problem(
                    Message(
                        "licence id {licence_id!r} is already on row {earlier}",
                        licence_id=record.licence_id,
                        earlier=earlier,
                    ),
                    label,
                    row.line,
                    "licence_id",
                    Message("each licence once per file"),
                )
            )
            continue
        found.append((row.line, record))
    if progress is not None and count % _PROGRESS_EVERY:
        progress(count)
    if count == 0 and not problems:
        problems.append(Problem(Message("file has no licences"), file=label))
    if problems:
        raise InputError(problems)
    return Read(label, found)


def _is_json(path: Path, text: str) -> bool:
    """JSON by extension; for other names, by the first character."""
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl", ".ndjson"):
        return True
    return suffix != ".csv" and text.lstrip()[:1] in ("[", "{")


def _csv_rows(text: str, label: str, problems: list[Problem]) -> Iterable[Located]:
    """CSV rows as dicts of cells with resources split on semicolons."""
    for row in csv_rows(text, label, REQUIRED, OPTIONAL):
        if "__extra__" in row.value:
            problems.append(Problem(Message("row has more cells than the header"), label, row.line))
            continue
        cells = dict(row.value)
        listed = cells["resources"]
        cells["resources"] = [r for r in listed.split(";") if r.strip()] if listed else []
        yield Located(row.line, cells)


def _json_rows(text: str, label: str, problems: list[Problem]) -> Iterable[Located]:
    """JSON objects checked for shape and turned into the same cells the CSV gives."""
    known = set(REQUIRED + OPTIONAL)
    for record in json_records(text, label):
        value = record.value
        at = Cells(label, record.line, problems)
        if not isinstance(value, dict):
            at.problem(None, Message("licence must be an object"))
            continue
        before = len(problems)
        for key in sorted(set(value) - known):
            at.problem(
                key, Message("unknown field {key!r}", key=key), ", ".join(REQUIRED + OPTIONAL)
            )
        cells: dict[str, Any] = {}
        for key in REQUIRED + OPTIONAL:
            item = value.get(key)
            if key == "resources":
                if not isinstance(item, list) or not all(isinstance(r, str) for r in item):
                    at.problem(
                        key, Message("resources must be a list of strings"), Message('["lithium"]')
                    )
                cells[key] = item
            elif key == "is_new" and (item is None or isinstance(item, bool)):
                cells[key] = "" if item is None else ("true" if item else "false")
            elif item is None:
                cells[key] = ""
            elif isinstance(item, str):
                cells[key] = item
            else:
                at.problem(key, Message("{key} must be a string", key=key), Message("a string"))
        if len(problems) == before:
            yield Located(record.line, cells)


def _licence(row: Located, label: str, problems: list[Problem]) -> LicenceRecord | None:
    """Validate one row's cells into a record, or None after recording its problems."""
    cells: dict[str, Any] = row.value
    at = Cells(label, row.line, problems)
    before = len(problems)
    licence_id = at.text("licence_id", cells["licence_id"], limit=64)
    holder = at.text("holder", cells["holder"])
    registry_id = at.text("holder_registry_id", cells["holder_registry_id"], limit=64)
    deposit = at.text("deposit", cells["deposit"])
    oblast = at.text("oblast", cells["oblast"], limit=64)
    slugs = _resources(at, cells["resources"])
    instrument = at.choice("instrument", cells["instrument"], _INSTRUMENTS)
    issued_on = at.iso_date("issued_on", cells["issued_on"])
    status = at.choice("status", cells["status"], LICENCE_STATUSES)
    is_new = at.flag("is_new", cells.get("is_new", ""))
    territory_text = cells.get("territory", "").strip() or Territory.CONTROLLED.value
    territory = at.choice("territory", territory_text, _TERRITORIES)
    if (
        len(problems) > before
        or licence_id is None
        or holder is None
        or registry_id is None
        or deposit is None
        or oblast is None
        or instrument is None
        or issued_on is None
        or status is None
        or territory is None
    ):
        return None
    return LicenceRecord(
        licence_id=licence_id,
        holder=holder,
        holder_registry_id=registry_id,
        deposit=deposit,
        resources=slugs,
        oblast=oblast,
        instrument=Instrument(instrument),
        issued_on=issued_on,
        status=cast(LicenceStatus, status),
        is_new=is_new,
        territory=Territory(territory),
    )


def _resources(at: Cells, listed: list[str]) -> tuple[str, ...]:
    """Resolve each listed resource to its catalogue slug; each one at most once."""
    if not listed:
        at.problem(
            "resources",
            Message("no resources listed"),
            Message("one or more, e.g. lithium;titanium"),
        )
        return ()
    slugs: list[str] = []
    for name in listed:
        text = at.text("resources", name)
        if text is None:
            continue
        try:
            slug = resource(text).slug
        except InputError as exc:
            for found in exc.problems:
                hint = found.expected or ""
                message = found.message
                if hint in _SLUGS:
                    message = Message(
                        "{message}; did you mean {hint!r}?", message=message, hint=hint
                    )
                at.problem("resources", message, found.expected)
            continue
        if slug in slugs:
            at.problem(
                "resources",
                Message("{text!r} repeats resource {slug!r}", text=text, slug=slug),
                Message("each resource once"),
            )
            continue
        slugs.append(slug)
    return tuple(slugs)
