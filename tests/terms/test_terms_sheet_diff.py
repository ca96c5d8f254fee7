"""Term sheets compare key by key; the side-by-side rendering is plain lines."""

from __future__ import annotations

from jointfund.terms import TermDifference, diff_terms, load_terms, render_side_by_side

FEB26 = load_terms("ua-us-2025-02-26-framework")
FINAL = load_terms("ua-us-2025-04-30-agreement")


def test_a_sheet_has_no_differences_with_itself() -> None:
    assert diff_terms(FINAL, FINAL) == []
    assert render_side_by_side(FINAL, FINAL) == [f"{FINAL.id} and {FINAL.id} have the same terms"]


def test_framework_versus_agreement_shows_the_negotiated_changes() -> None:
    diffs = {d.path: d for d in diff_terms(FEB26, FINAL)}
    assert diffs["inflow[0].resources"] == TermDifference("inflow[0].resources", "all", "covered")
    assert diffs["lock.years"] == TermDifference("lock.years", None, "10")
    assert diffs["inflow[0].streams"].b_value == (
        "[royalty, permit_fee, auction_proceeds, psa_state_share]"
    )
    assert "metadata.id" in diffs
    assert not any(
        d.path.startswith("metadata") for d in diff_terms(FEB26, FINAL, include_metadata=False)
    )


def test_side_by_side_lines_fit_the_width_and_keep_sections_together() -> None:
    lines = render_side_by_side(FEB26, FINAL, width=100)
    assert lines[0].startswith("key") and FEB26.id in lines[0]
    assert all(len(line) <= 100 for line in lines)
    body = [line.split(" | ")[0].strip() for line in lines[2:]]
    sections = [path.split(".")[0].split("[")[0] for path in body]
    # Once a section ends it never reappears.
    seen: list[str] = []
    for section in sections:
        if not seen or seen[-1] != section:
            assert section not in seen
            seen.append(section)
