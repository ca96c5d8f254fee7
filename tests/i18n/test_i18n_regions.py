"""Every region of Ukraine a licence register names reads in Ukrainian on the public page's
tables (the oblast column and the by-oblast totals go through `term`), not only the five of
the example fund: a national register's page showed "Lviv" and "Kharkiv" in English."""

from __future__ import annotations

import re

import pytest

from jointfund.i18n import language
from jointfund.i18n.vocabulary import term

REGIONS = {
    "Cherkasy": "Черкаська",
    "Chernihiv": "Чернігівська",
    "Chernivtsi": "Чернівецька",
    "Crimea": "Автономна Республіка Крим",
    "Dnipropetrovsk": "Дніпропетровська",
    "Donetsk": "Донецька",
    "Ivano-Frankivsk": "Івано-Франківська",
    "Kharkiv": "Харківська",
    "Kherson": "Херсонська",
    "Khmelnytskyi": "Хмельницька",
    "Kirovohrad": "Кіровоградська",
    "Kyiv": "Київська",
    "Kyiv City": "місто Київ",
    "Luhansk": "Луганська",
    "Lviv": "Львівська",
    "Mykolaiv": "Миколаївська",
    "Odesa": "Одеська",
    "Poltava": "Полтавська",
    "Rivne": "Рівненська",
    "Sevastopol": "місто Севастополь",
    "Sumy": "Сумська",
    "Ternopil": "Тернопільська",
    "Vinnytsia": "Вінницька",
    "Volyn": "Волинська",
    "Zakarpattia": "Закарпатська",
    "Zaporizhzhia": "Запорізька",
    "Zhytomyr": "Житомирська",
}


def test_the_list_is_every_region() -> None:
    # 24 oblasts, the Autonomous Republic of Crimea and the two cities with special status
    assert len(REGIONS) == 27


@pytest.mark.parametrize(("english", "ukrainian"), sorted(REGIONS.items()))
def test_a_region_reads_in_the_readers_language(english: str, ukrainian: str) -> None:
    with language("uk"):
        assert term(english) == ukrainian
    with language("en"):
        assert term(english) == english
    assert re.fullmatch(r"[А-ЩЬЮЯЄІЇҐа-щьюяєіїґ' -]+", ukrainian)
