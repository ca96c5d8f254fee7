"""Every resource the terms know reads in Ukrainian where the pages name it (a licence's
resources on the public tables, the by-resource totals): a national register's licences
produce more than the example fund's sixteen, and 56 of the 70 showed in English."""

from __future__ import annotations

import pytest

from jointfund.i18n import language
from jointfund.i18n.vocabulary import term
from jointfund.terms.catalogue import all_resources

SLUGS = sorted(r.slug for r in all_resources())


def test_the_terms_know_every_resource_of_annex_a_and_more() -> None:
    assert len(SLUGS) >= 70 and "phosphate" in SLUGS and "lithium" in SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_a_resource_reads_in_the_readers_language(slug: str) -> None:
    with language("en"):
        english = term(slug)
    with language("uk"):
        ukrainian = term(slug)
    assert ukrainian != english, f"{slug} has no Ukrainian words"
    assert any("\u0400" <= ch <= "\u04ff" for ch in ukrainian), ukrainian
