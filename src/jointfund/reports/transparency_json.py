"""The summary data as JSON written a row at a time: the same bytes as
`json.dumps(transparency_json(report), indent=2, ensure_ascii=False) + "\n"`, without holding
the rows, so a download of ten million payments costs memory for one."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

_CHUNK_ROWS = 2_000


def _dumped(value: Any, indent: str) -> str:
    """`value` as `json.dumps(indent=2)` writes it nested at the depth `indent` stands for."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)


def json_chunks(
    head: dict[str, Any], rows: Iterable[dict[str, Any]], totals: dict[str, Any]
) -> Iterator[str]:
    """The document `{**head, "rows": [...rows], "totals": totals}` as indented JSON text, a
    few thousand rows a chunk."""
    opening = "".join(f"  {json.dumps(k)}: {_dumped(v, '  ')},\n" for k, v in head.items())
    yield "{\n" + opening + '  "rows": ['
    chunk: list[str] = []
    written = 0
    for row in rows:
        chunk.append(("\n    " if written == 0 else ",\n    ") + _dumped(row, "    "))
        written += 1
        if len(chunk) >= _CHUNK_ROWS:
            yield "".join(chunk)
            chunk.clear()
    yield "".join(chunk) + ("\n  ]" if written else "]")
    yield ',\n  "totals": ' + _dumped(totals, "  ") + "\n}\n"
