"""A progress display for long imports, quiet when output is not a terminal or is JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from jointfund.cli.output import err


@contextmanager
def row_progress(label: str, *, enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """Yield a callback taking rows done so far; shows a live counter on a terminal."""
    if not enabled or not err.is_terminal:
        yield lambda _done: None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done: bar.update(task, completed=done)
