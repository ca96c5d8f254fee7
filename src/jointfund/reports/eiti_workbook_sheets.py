"""Opening an EITI summary workbook: every sheet's non-blank rows as the sheet numbers them,
or a located refusal of a file that is not the template."""

from __future__ import annotations

import io
import warnings
import zipfile

from openpyxl import load_workbook

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.reports.eiti_sheet_cells import Cell, Rows, blank
from jointfund.reports.eiti_workbook import (
    SHEETS,
)

MAX_ROWS = 100_000


def sheet_rows(data: bytes, label: str) -> dict[str, Rows]:
    """Every sheet's non-blank rows, numbered as the sheet numbers them."""
    refused = Problem(
        Message("not a readable XLSX workbook"), file=label, expected=Message("an .xlsx file")
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # styles and extensions openpyxl drops carry no data
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise InputError([refused]) from exc
    except Exception as exc:  # openpyxl and lxml raise many kinds of error on damage
        raise InputError([refused]) from exc
    try:
        missing = [s for s in SHEETS if s not in book.sheetnames]
        if missing:
            raise InputError(
                [
                    Problem(
                        Message("no sheet {sheet!r}", sheet=s),
                        file=label,
                        expected=Message("{choices}", choices=", ".join(SHEETS)),
                    )
                    for s in missing
                ]
            )
        found: dict[str, Rows] = {}
        for title in SHEETS:
            rows: Rows = []
            for number, row in enumerate(book[title].iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    said = Message("sheet {sheet!r} is too long", sheet=title)
                    raise InputError([Problem(said, file=label)])
                cells: list[Cell] = list(row)
                if any(blank(c) is False for c in cells):
                    rows.append((number, cells))
            found[title] = rows
        return found
    except InputError:
        raise
    except Exception as exc:  # damage can surface only while streaming the rows
        raise InputError([refused]) from exc
    finally:
        book.close()
