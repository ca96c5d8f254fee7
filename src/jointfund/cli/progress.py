"""A progress display for long imports, quiet when output is not a terminal or is JSON."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from jointfund.cli.output import err


class RowProgress:
    """Rows done so far (call it with a count) and the stage after reading (`stage`)."""

    def __init__(self, bar: Progress | None = None, label: str = "") -> None:
        self._bar, self._label = bar, label
        self._task = None if bar is None else bar.add_task(label, total=None)

    def __call__(self, done: int) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done)

    def stage(self, what: str) -> None:
        """Say what the import does now that the rows are read (deciding, booking, storing)."""
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=f"{self._label}: {what}")


@contextmanager
def row_progress(label: str, *, enabled: bool = True) -> Iterator[RowProgress]:
    """Yield a progress callback; shows a live counter and stage on a terminal."""
    if not enabled or not err.is_terminal:
        yield RowProgress()
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        yield RowProgress(bar, label)
