"""The source tree keeps the shape docs/architecture.md describes: modules split by noun before
they grow past about 400 lines, no two packages using one module name for different things, and
a test package for each source package."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "jointfund"
TESTS = Path(__file__).resolve().parent
LIMIT = 420  # STYLE.md: "modules past ~400 lines split by noun"; a little slack, not a second rule


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_no_module_has_grown_past_the_split_line() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert long == {}, f"split these by noun: {long}"


def test_renamed_modules_stay_renamed() -> None:
    """The names that meant different things in different packages are gone for good."""
    gone = [
        "forecast/charts.py",
        "reports/charts.py",
        "forecast/compare.py",
        "terms/compare.py",
        "http/errors.py",
        "forecast/export.py",
        "http/pages/figures.py",
        "cli/vocabulary.py",
        "governance/wording.py",
    ]
    assert [g for g in gone if (SRC / g).exists()] == []
    names: dict[str, list[str]] = defaultdict(list)
    for p in _modules():
        names[p.stem].append(str(p.parent.relative_to(SRC)))
    for stem in ("charts", "compare", "export", "figures", "vocabulary", "wording"):
        assert len(names.get(stem, [])) <= 1, (stem, names[stem])


def test_every_source_package_has_its_test_package() -> None:
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").exists()}
    assert packages - {p.name for p in TESTS.iterdir() if p.is_dir()} == set()
