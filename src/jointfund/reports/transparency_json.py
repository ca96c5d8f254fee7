"""The summary data as JSON written a row at a time: the same bytes as
`json.dumps(transparency_json(report), indent=2, ensure_ascii=False) + "\n"`, without holding
the rows, so a download of ten million payments costs memory for one."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from jointfund.reports.tables import Cell
from jointfund.reports.transparency import FiledPayment, PublicLicence, json_cell
from jointfund.reports.transparency_parts import LineParts

_CHUNK_ROWS = 2_000
_AT = ",\n      "  # between a row's members, as indent=2 writes them two levels down


def _dumped(value: Any, indent: str) -> str:
    """`value` as `json.dumps(indent=2)` writes it nested at the depth `indent` stands for."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)


def _members(names: Sequence[str], cells: Sequence[Cell]) -> str:
    """Cells as a row's members, spelled as `_dumped(json_row(...), "    ")` spells them."""
    return _AT.join(
        f"{json.dumps(n)}: {json.dumps(json_cell(c), ensure_ascii=False)}"
        for n, c in zip(names, cells, strict=True)
    )


def payments_json_rows(
    payments: Iterable[FiledPayment], licences: Mapping[str, PublicLicence], usd: str
) -> Iterator[str]:
    """Each payment's row as `json_chunks` takes it: `_dumped(json_row(row, usd), "    ")`,
    built from parts kept per stream, licence, period and currency (transparency_parts)."""
    parts = LineParts(usd, _members)
    for p in payments:
        year, stream, holder, form, period, day, currency, gross, fund, budget, usd_, flows = (
            parts.line(p, licences[p.licence_id])
        )
        yield (
            f"{{\n      {year}{_AT}{stream}{_AT}{holder}{_AT}{form}{_AT}{period}"
            f'{_AT}"received_on": "{day}"{_AT}{currency}{_AT}"amount": "{gross}"'
            f'{_AT}"fund_share": "{fund}"{_AT}"budget_share": "{budget}"'
            f'{_AT}"fund_share_usd": "{usd_}"{_AT}"flows_to_fund": {flows}\n    }}'
        )


def dumped_rows(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """JSON-ready rows spelled as `json_chunks` takes them."""
    return (_dumped(row, "    ") for row in rows)


def json_chunks(head: dict[str, Any], rows: Iterable[str], totals: dict[str, Any]) -> Iterator[str]:
    """The document `{**head, "rows": [...rows], "totals": totals}` as indented JSON text, a
    few thousand rows a chunk; each row comes spelled (payments_json_rows, dumped_rows)."""
    opening = "".join(f"  {json.dumps(k)}: {_dumped(v, '  ')},\n" for k, v in head.items())
    yield "{\n" + opening + '  "rows": ['
    chunk: list[str] = []
    written = 0
    for row in rows:
        chunk.append(("\n    " if written == 0 else ",\n    ") + row)
        written += 1
        if len(chunk) >= _CHUNK_ROWS:
            yield "".join(chunk)
            chunk.clear()
    yield "".join(chunk) + ("\n  ]" if written else "]")
    yield ',\n  "totals": ' + _dumped(totals, "  ") + "\n}\n"
