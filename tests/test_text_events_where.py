"""Where an event happened: place chains read down the hierarchy the text states, with the
gazetteer's admin-2 districts (geomap.text.events.where), on sentences written here."""

from __future__ import annotations

import pytest

from geomap.model import Article
from geomap.text import extract_article
from geomap.text.events.where import Where, focus_country, locate, place_chains


def chains(text: str) -> list[list[str]]:
    return [[s.name for s in chain] for chain in place_chains(text, 0, len(text))]


def first_place(gaz, text: str, focus: str = "") -> Where | None:
    found = [locate(chain, [], gaz, focus) for chain in place_chains(text, 0, len(text))]
    return next((w for w in found if w is not None), None)


@pytest.mark.parametrize(
    ("text", "name", "code", "reason"),
    [
        (
            "Fighters attacked a checkpoint in the Qalbaz village of Sherzad district, Nangarhar.",
            "Shērzād", "AF.18", "'Qalbaz' not in the gazetteer there",
        ),
        (
            "Herders attacked Dutsen Kura village of Igabi Local Government Area of Kaduna.",
            "Igabi", "NG.23", "'Dutsen Kura' not in the gazetteer there",
        ),
    ],
)  # fmt: skip
def test_a_district_the_text_names_places_a_missing_village(gaz, text, name, code, reason):
    w = first_place(gaz, text)
    assert w is not None
    assert (w.place.feature, w.place.name, f"{w.place.country_code}.{w.place.admin1_code}") == (
        "admin2", name, code)  # fmt: skip
    assert w.precision == 2
    assert f"as a district inside {code.replace('.', '/')}" in w.reason and reason in w.reason


def test_a_bracketed_district_and_region_place_a_missing_village(gaz):
    w = first_place(gaz, "Two herders were shot near Buulo Xaaji village (Diinsoor, Bay).")
    assert w is not None
    assert (w.place.feature, w.place.name, w.place.admin1, w.precision) == (
        "admin2", "Diinsoor", "Bay", 2)  # fmt: skip


def test_a_town_inside_its_district_is_the_town(gaz):
    w = first_place(gaz, "A mortar shell hit the market in Baidoa (Baidoa, Bay).")
    assert w is not None
    assert (w.place.feature, w.place.name, w.precision) == ("city", "Baidoa", 1)


def test_a_district_spelled_otherwise_is_found_inside_its_region(gaz):
    w = first_place(gaz, "Shells fell on houses in Mahliya district (Marib).")
    assert w is not None
    assert (w.place.feature, w.place.name, w.place.country_code, w.precision) == (
        "admin2", "Mahliyah", "YE", 2)  # fmt: skip
    assert "another spelling" in w.reason


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen killed a teacher in Sangin on Monday.",  # a town and a district of that name
        "Residents of Sangin said the market reopened.",
    ],
)
def test_a_bare_name_in_running_text_is_never_a_district(gaz, text):
    w = first_place(gaz, text)
    assert w is None or w.place.feature != "admin2"


def test_the_district_word_asks_for_the_district_over_its_town(gaz):
    w = first_place(gaz, "Troops cleared roadside bombs in Sangin district, Helmand.")
    assert w is not None
    assert (w.place.feature, w.place.admin1_code, w.precision) == ("admin2", "10", 2)


def test_a_possessive_is_whose_not_where():
    text = "A member of Logar's provincial council was shot in Baraki Barak district."
    assert chains(text) == [["Baraki Barak"]]
    # at the start of a sentence too
    assert ["Logar's"] not in chains("Logar's governor said so.")


def test_an_event_report_says_which_district_was_used_and_why(gaz):
    article = Article(
        doc_id="w",
        title="",
        text="On 4 March 2021, a roadside bomb killed 3 soldiers in the Qalbaz area of Sherzad "
        "district, Nangarhar.",
        date="2021-03-05",
    )
    (e,) = [e for e in extract_article(article, gazetteer=gaz).events if not e.is_context]
    assert (e.country, e.geo_precision) == ("Afghanistan", 2)
    assert e.location == e.admin2 == gaz.districts("Sherzad", country="AF")[0].name
    assert "as a district inside AF/18" in e.notes and "'Qalbaz' not in the gazetteer" in e.notes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Gunmen raided Dutsen Kura village of Igabi Local Government Area of Kaduna State.",
            [[("Dutsen Kura", "town"), ("Igabi", "district"), ("Kaduna State", "")]],
        ),
        (
            "A bomb went off near Wajiroko (Konduga LGA, Borno).",
            [[("Wajiroko", ""), ("Konduga", "district"), ("Borno", "")]],
        ),
        ("Troops moved through Paletwa Township, Chin State.",
         [[("Paletwa", "district"), ("Chin State", "")]]),
    ],
)  # fmt: skip
def test_a_district_word_inside_a_capitalised_name_is_its_kind(text, expected):
    got = [[(s.name, s.kind) for s in chain] for chain in place_chains(text, 0, len(text))]
    assert got == expected


def events_of(gaz, text: str):
    article = Article(doc_id="s", title="", text=text, date="2021-03-05")
    return [e for e in extract_article(article, gazetteer=gaz).events if not e.is_context]


def test_a_short_report_places_its_event_from_a_later_location_line(gaz):
    (e,) = events_of(
        gaz,
        "Raiders burned 40 houses and killed 3 herders at night. Police arrived the next "
        "morning. LOCATION: Kalaha village, Saboti Constituency, Trans Nzoia County, Kenya.",
    )
    assert (e.country, e.admin1, e.geo_precision) == ("Kenya", "Trans Nzoia", 3)
    assert "'Kalaha', 'Saboti' not in the gazetteer there" in e.notes


@pytest.mark.parametrize(
    "last",
    [
        "The raiders came from Moroto in Uganda.",  # where they came from
        "Officials later flew to Geneva.",  # abroad, and where someone went
    ],
)
def test_a_short_report_borrows_no_place_people_came_from_or_went_to(gaz, last):
    (e,) = events_of(
        gaz, f"Raiders burned 40 houses and killed 3 herders at night. Police came. {last}"
    )
    assert e.latitude is None


@pytest.mark.parametrize(
    "text",
    [
        "Houthi fighters shelled farms north of Wadi Qa in the east of Sanaa (Nihm, Sanaa).",
        "Shells hit farms in western Yemen (At Tuhayat, Al Hudaydah).",
    ],
)
def test_a_region_named_again_around_its_district_leaves_the_district(gaz, text):
    """In "Sanaa (Nihm, Sanaa)" the first Sanaa, read as the governorate once more (or the
    country before the brackets), says no more than the district inside it."""
    chain = max(place_chains(text, 0, len(text)), key=len)
    w = locate(chain, [], gaz)
    assert w is not None
    assert (w.place.feature, w.precision) == ("admin2", 2)
    assert w.place.name in ("Nihm", "At Tuhayat")
    assert "as a district inside" in w.reason


@pytest.mark.parametrize(
    "text, country",
    [
        ("The OSCE SMM counted 40 explosions near a mine the night before.", "UA"),
        ("AMISOM troops repelled an attack on their base.", "SO"),
        ("MINUSMA peacekeepers were hit by a roadside bomb.", "ML"),
    ],
)
def test_a_mission_that_works_in_one_country_names_the_article_country(text, country):
    assert focus_country(text, []) == country


def test_a_mission_word_inside_another_word_names_no_country():
    assert focus_country("The SMMS gateway and a unamida plant were shut.", []) == ""


def _event(gaz, text: str):
    article = Article(doc_id="w", title="", text=text, date="2021-03-05")
    return [e for e in extract_article(article, gazetteer=gaz).events if not e.is_context][0]


def test_the_last_bracketed_name_is_a_region_not_a_namesake_town_abroad(gaz):
    # Soum is a province of Burkina Faso and a town in Senegal
    e = _event(gaz, "On 2 March 2021, gunmen shot two herders near Wendkouni (Tanlili, Soum).")
    assert (e.country, e.admin2, e.geo_precision) == ("Burkina Faso", "Soum", 2)
    # a town found inside it is the town
    e = _event(gaz, "On 2 March 2021, gunmen shot two herders near Wendkouni (Arbinda, Soum).")
    assert (e.country, e.location) == ("Burkina Faso", "Aribinda")


def test_a_part_of_a_longer_name_does_not_decide_the_article_country(gaz):
    # "Qala" alone is a region of Malta; here it is the start of a village's name
    e = _event(
        gaz,
        "On 2 March 2021, gunmen killed a teacher in Qala-i-Kohna village, Logar.",
    )
    assert e.country == "Afghanistan"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an English "at" between two names parts them
        ("Troops fought Boko Haram at Gubio on Monday.", [["Gubio"]]),
        ("Gunmen met the convoy at Dikwa.", [["Dikwa"]]),
        # an Arabic article before the letter it takes the sound of stays inside the name
        ("Shells fell on Tall as Sultan and Ras an Naqb.", [["Tall as Sultan"], ["Ras an Naqb"]]),
        ("A bomb went off in Dayr at Tin (Idlib).", [["Dayr at Tin", "Idlib"]]),
    ],
)
def test_a_particle_that_is_an_english_word_joins_names_only_before_its_letter(text, expected):
    assert chains(text) == expected


def test_a_country_named_as_a_border_is_not_where_the_event_happened(gaz):
    e = _event(
        gaz,
        "On 2 March 2021, militants ambushed a patrol of Kenyan troops on Lamu Island near the "
        "Somalia border, killing three.",
    )
    assert (e.country, e.location) == ("Kenya", "Lamu")


def test_a_border_after_a_name_lowers_its_weight_for_the_article_country(gaz):
    article = Article(
        doc_id="b", title="", text="Kenyan police were attacked on the Somalia border.",
        date="2021-03-05",
    )  # fmt: skip
    mentions = extract_article(article, gazetteer=gaz).mentions
    assert focus_country(article.text, mentions) == "KE"


def test_a_place_and_its_vicinity_in_a_region_is_one_chain():
    assert chains("Artillery hit Tall Rifaat and its vicinity in Aleppo on Sunday.") == [
        ["Tall Rifaat", "Aleppo"]
    ]
    # a second place named after "and" is a chain of its own
    assert chains("Artillery hit Marea and Azaz in Aleppo.") == [["Marea"], ["Azaz", "Aleppo"]]


def test_the_country_raiders_came_from_is_not_where_they_struck(gaz):
    e = _event(
        gaz,
        "On 2 March 2021, raiders from Ethiopia killed nine herders in neighbouring Kenya.",
    )
    assert e.country == "Kenya"


def test_the_placing_reads_a_sentences_chains_once(monkeypatch):
    from geomap.text.events import locate

    calls = []
    real = locate.place_chains

    def counted(text, start, end):
        calls.append((start, end))
        return real(text, start, end)

    monkeypatch.setattr(locate, "place_chains", counted)
    placing = locate.Placing()
    text = "Fighting in Rastan, Homs province. Later in Talbiseh."
    first = placing.place_chains(text, 0, 34)
    assert first and first == real(text, 0, 34)
    assert placing.place_chains(text, 0, 34) is first
    other = "Shelling hit the village of Kafr Nabl in Idlib."
    assert placing.place_chains(other, 0, 34) == real(other, 0, 34) != first  # another text
    assert calls == [(0, 34), (0, 34)]


@pytest.mark.parametrize(
    "text",
    [
        "The OSCE SMM said; the OSCE  Special Monitoring Mission, xSMM, SMMx, _UNAMA, UNAMA-led",
        "(AMISOM) MONUSCO MINUSMA MINUSCA UNMISS UNAMID UNSMIL UNIFIL\nUNIFILS MINUSCA.",
        "SMM SMM éSMM 5UNAMA OSCE observers",
    ],
)
def test_the_mission_pattern_matches_as_its_word_boundary_form(text):
    """The missions' pattern opens with their capitals and checks for ``\\b`` after the
    first: the same matches as the plain form."""
    import re

    from geomap.text.events.where import _MISSION_RE

    plain = re.compile(
        r"\b(?:OSCE\s+(?:SMM|Special\s+Monitoring\s+Mission)|SMM|AMISOM|UNAMID|MONUSCO|MINUSMA|"
        r"MINUSCA|UNMISS|UNAMA|UNSMIL|UNIFIL)\b"
    )
    found = [(m.span(), m.group()) for m in _MISSION_RE.finditer(text)]
    assert found == [(m.span(), m.group()) for m in plain.finditer(text)]
    assert found
