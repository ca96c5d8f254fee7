"""Public reads answered by version: an `ETag` made of the books' chain heads and what was
asked, so a client that already holds the answer gets `304 Not Modified`, and a worker sends
a public API answer it already built from memory until the books move on.

Every committed change moves a chain head (`fund.books.books_version`), and the public
answers are functions of the books and the request alone, so an answer kept under its tag
is the answer the books would give now.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from jointfund.fund import Database
from jointfund.fund.books import books_version

KEPT_ANSWERS = 64
"""Public API answers a worker keeps (the newest tags; a few MB at most, answers are paged)."""


def entity_tag(db: Database, request: Request, *, personal: str = "") -> str:
    """The tag of the answer to `request` on the books as they are now; `personal` adds what
    else the answer depends on (a page's session cookie: its layout names the user)."""
    raw = "\n".join((books_version(db), request.url.path, request.url.query, personal))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:40] + '"'


def not_modified(request: Request, tag: str) -> Response | None:
    """304 when the client already holds the answer tagged `tag`, else None."""
    held = request.headers.get("if-none-match", "")
    if tag in (t.strip().removeprefix("W/") for t in held.split(",")) or held.strip() == "*":
        return Response(status_code=304, headers={"ETag": tag, "Cache-Control": "no-cache"})
    return None


def tagged(response: Response, tag: str) -> Response:
    """`response` with its tag, and told to ask again each time (the tag makes that cheap)."""
    response.headers["ETag"] = tag
    response.headers["Cache-Control"] = "no-cache"
    return response


class AnswerCache:
    """Public answers by tag: the bytes and media type, newest `KEPT_ANSWERS` kept."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def answer(self, tag: str, build: Callable[[], Response]) -> Response:
        """The kept answer for `tag`, else `build()` kept under it."""
        with self._lock:
            kept = self._kept.get(tag)
            if kept is not None:
                self._kept.move_to_end(tag)
        if kept is None:
            built = build()
            if built.status_code != 200:
                return built
            kept = (bytes(built.body), built.media_type or "application/json")
            with self._lock:
                self._kept[tag] = kept
                while len(self._kept) > KEPT_ANSWERS:
                    self._kept.popitem(last=False)
        return tagged(Response(kept[0], media_type=kept[1]), tag)
