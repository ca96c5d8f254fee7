"""The one upload path, for the API and the pages: an uploaded file handed to a file-based
use case, with its problems named after the upload."""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from filelock import FileLock
from starlette.datastructures import UploadFile

from jointfund.errors import InputError
from jointfund.fund import Database

T = TypeVar("T")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SQLITE_TURN = threading.Lock()
"""On SQLite, which takes one writer at a time anyway, a process imports one upload at a time:
its waiting uploads queue here instead of each polling SQLite's busy handler (back-off sleeps of
up to 100 ms) and holding the interpreter against the event loop. Measured under
`benchmarks/api_load.py`: uploads p99 0.9-1.3 s instead of 2.9-4.2 s, and reads faster too."""


def upload_name(upload: UploadFile, default: str) -> str:
    """A safe base name for the upload (its suffix tells CSV from JSON)."""
    raw = Path(upload.filename or default).name
    cleaned = _UNSAFE.sub("_", raw).lstrip(".")
    return cleaned[:120] or default


@contextmanager
def saved(upload: UploadFile, default: str) -> Iterator[tuple[Path, str]]:
    """The upload written to a private temporary file, and the name clients know it by."""
    name = upload_name(upload, default)
    with tempfile.TemporaryDirectory(prefix="jointfund-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out)
        yield path, name


@contextmanager
def writer_turn(db: Database) -> Iterator[None]:
    """Wait for the turn to write an upload to `db` (SQLite only; PostgreSQL takes many): this
    process's turn, then the file's among every process serving it."""
    if db.dialect != "sqlite":
        yield
        return
    with _SQLITE_TURN, _file_turn(db.sqlite_file):
        yield


@functools.cache
def _file_turn(database: str | None) -> AbstractContextManager[object]:
    """The lock every server process takes before writing an upload to one SQLite file: a
    waiting process sleeps in the kernel and wakes when the writer lets go, where SQLite's busy
    handler polls with back-off sleeps of up to 100 ms (uploads p99 1.1 s with five uploaders
    against 50 readers on two workers; benchmarks/uploads_under_reads.py)."""
    if database is None:
        return nullcontext()
    return FileLock(database + ".uploads.lock")


def import_upload(
    upload: UploadFile, default: str, importer: Callable[[Path], T], db: Database
) -> T:
    """Run a file importer on an upload into `db`, in this process's turn to write; its
    problems name the upload, not the temporary path."""
    with writer_turn(db), saved(upload, default) as (path, name):
        try:
            return importer(path)
        except InputError as exc:
            raise relabel(exc, str(path), name) from None


def relabel(error: InputError, temporary: str, name: str) -> InputError:
    """The same problems with the temporary path replaced by the uploaded file's name."""
    return InputError(
        replace(p, file=name) if p.file is not None and p.file.endswith(temporary) else p
        for p in error.problems
    )
