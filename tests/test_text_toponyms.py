"""Toponym recognition: spans, multi-word forms, and the non-places it must refuse."""

from __future__ import annotations

import pytest

from geomap.text.toponyms import _ODD_CHAR, find_toponyms, looks_binary, odd_characters


def surfaces(text, gazetteer, **kw):
    return [m.text for m in find_toponyms(text, gazetteer=gazetteer, **kw)]


# -- recognition on the fake gazetteer ------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Airstrikes hit Rastan on Wednesday.", ["Rastan"]),
        ("Jets bombed Ar Rastan and al-Rastan.", ["Ar Rastan", "Rastan"]),
        ("Fighting near Deir ez-Zor went on.", ["Deir ez-Zor"]),
        ("He flew to New York and then to Moscow.", ["New York", "Moscow"]),
        ("The U.S.-led coalition and the United States agreed.", ["U.S.", "United States"]),
        ("Civilians died in Homs province.", ["Homs province"]),
        ("The most violent was in the northern Homs countryside.", ["northern Homs countryside"]),
        ("Russia's jets hit Syria.", ["Russia", "Syria"]),
        ("Gainesville, Ga. police said", ["Gainesville", "Ga."]),
        ("JETS HIT HOMS AGAIN, UN SAYS", ["HOMS"]),  # a headline in capitals
        ("Russia-Syria talks", ["Russia", "Syria"]),  # a hyphenated pair of places
    ],
)
def test_finds_places_with_their_spans(fake_gazetteer, text, expected):
    found = find_toponyms(text, gazetteer=fake_gazetteer)
    assert [m.text for m in found] == expected
    for m in found:
        assert text[m.span_start : m.span_end] == m.text


@pytest.mark.parametrize(
    "text",
    [
        "Secretary of State John Kerry said so.",  # a title and a given name
        "Kerry said the talks would go on.",  # a speaker
        "The council met in March and again on Wednesday.",  # months, weekdays
        "We met. As it happened, The Council spoke.",  # common words
        "The UN and the Security Council disagreed.",  # acronym, organisation
        "Reporters from the Moscow Times were there.",  # a newspaper
        "Tinyville is where it began.",  # sentence-initial, tiny place
        "It cost US$460 million.",  # a currency
        "The West Nile virus and Marburg fever spread.",  # diseases named after places
    ],
)
def test_refuses_non_places(fake_gazetteer, text):
    assert surfaces(text, fake_gazetteer) == []


def test_surname_seen_with_a_given_name_is_a_person_everywhere(fake_gazetteer):
    text = ("Defence Secretary Ashton Carter spoke. Later Carter said Moscow was wrong."
            " Kerry agreed.")
    assert surfaces(text, fake_gazetteer) == ["Moscow"]


def test_place_written_in_lowercase_elsewhere_is_a_common_word(fake_gazetteer):
    text = "The Council decided. The council is big."
    assert surfaces(text, fake_gazetteer) == []


def test_demonyms_only_when_asked(fake_gazetteer):
    text = "Syrian and Russian officials met in Damascus."
    assert surfaces(text, fake_gazetteer) == ["Damascus"]
    assert surfaces(text, fake_gazetteer, demonyms=True) == ["Syrian", "Russian", "Damascus"]


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t", "no places in this sentence at all.", "12345 67890", "\x00\x01\x02" * 100],
)
def test_empty_or_placeless_text_gives_nothing(fake_gazetteer, text):
    assert find_toponyms(text, gazetteer=fake_gazetteer) == []


def test_binary_junk_gives_nothing(fake_gazetteer):
    junk = bytes(range(256)).decode("latin-1") * 40
    assert looks_binary(junk)
    assert find_toponyms(junk, gazetteer=fake_gazetteer) == []
    assert not looks_binary("Ordinary prose about Homs, with punctuation — and quotes “like this”.")


def test_non_string_input_gives_nothing(fake_gazetteer):
    assert find_toponyms(None, gazetteer=fake_gazetteer) == []  # type: ignore[arg-type]


# -- the seed article on the real gazetteer --------------------------------



def test_seed_places_are_exactly_the_gold_spans(gaz, seed_text, seed_gold):
    found = [(m.span_start, m.span_end) for m in find_toponyms(seed_text, gazetteer=gaz)]
    expected = [tuple(p["span"]) for p in seed_gold["places"]]
    assert found == expected


def test_seed_non_places_never_come_out(gaz, seed_text, seed_gold):
    texts = {m.text for m in find_toponyms(seed_text, gazetteer=gaz, demonyms=True)}
    for word in seed_gold["not_places"]:
        assert word not in texts
    # the spans of the person names are untouched too
    for person in ("Kerry", "Carter", "Lavrov", "Assad"):
        for m in find_toponyms(seed_text, gazetteer=gaz):
            assert person not in m.text


def test_seed_demonyms_when_asked(gaz, seed_text, seed_gold):
    found = {m.text for m in find_toponyms(seed_text, gazetteer=gaz, demonyms=True)}
    assert {d["surface"] for d in seed_gold["demonyms"]} <= found


@pytest.mark.parametrize(
    "text",
    [
        "Homs and homs, but not Homs's",
        "the homs_x and x-homs, ’homs and homs’ or homs1",
        "homs",
        "Aleppo is near aleppo.",
        "É aleppo é",
        "",
    ],
)
def test_lowercase_words_match_the_reference_regex(text):
    from geomap.text.toponyms import _LOWER_WORD, _LowercaseWords

    reference = set(_LOWER_WORD.findall(text))
    lazy = _LowercaseWords(text)
    for word in {"homs", "aleppo", "x", "é", "", "Homs", "homs's", *text.lower().split()}:
        assert (word in lazy) == (word in reference), word




@pytest.mark.parametrize(
    "text",
    [
        "",
        "Plain ASCII prose, with (brackets) and 50% & $5 - fine; really? yes!",
        "Curly “quotes” and ‘single’ ones — dashes – and an ellipsis…",
        "Odd ASCII: {braces} ^caret~ `tick` \\ back\x00slash \x1c\x1f\x7f",
        "Accents: Côte d’Ivoire, São Paulo, Zürich — with {one odd} char",
        "Non-ASCII odd ones: € ¶ § © ✓ 😀 and a “quote”",
        "A price of €5 and “quotes”",
        "\u00a0no-break and \u2003em spaces, \u200b zero width",
        "snake_case_words_are_counted_apart",
    ],
)
def test_odd_characters_are_what_the_pattern_finds(text):
    assert odd_characters(text) == len(_ODD_CHAR.findall(text))
