"""Actor phrases: strong when tied to an attack word."""

from __future__ import annotations

import re

import pytest

from geomap.text.events import Sentence, find_actors
from geomap.text.events.actors import event_actors


def test_find_actors_strong_and_weak():
    hits = find_actors(
        "Jets flying higher than the Syrian air force emitted no noise, unlike Russian airstrikes."
    )
    by_name = {h.name: h.strong for h in hits}
    assert by_name["Military Forces of Syria"] is False
    assert by_name["Military Forces of Russia"] is True
    (h,) = find_actors("Some rebel groups said they were hit by Russian airstrikes.")[1:]
    assert h.strong


def test_forces_of_a_state_no_country_table_knows_keep_its_name():
    (h,) = find_actors("Armed forces of Transnistria fired on a post near Dubasari.")
    assert (h.name, h.role) == ("Military Forces of Transnistria", "agent")
    # a ruler's name is no state
    assert [h.name for h in find_actors("Troops of Marshal Haftar shelled Tripoli.")] == []


@pytest.mark.parametrize(
    "sentence, victim",
    [
        ("Nigerien soldiers killed a suspected JNIM commander near Ayorou.", "JNIM"),
        ("The gunmen ambushed two Kenyan policemen at Lamu.", "Police Forces of Kenya"),
        ("Afghan forces killed 7 Taliban in Zabul.", "Taliban"),
    ],
)
def test_who_was_hit_after_a_qualifier_is_the_victim(sentence, victim):
    roles = {h.name.split(":")[0]: h.role for h in find_actors(sentence)}
    assert roles[victim] == "victim"


def test_actor1_from_a_sentence_around_the_event():
    anchors = [Sentence(0, 0, 50, "A roadside bomb killed two soldiers near Baidoa.")]
    nearby = [Sentence(1, 51, 90, "Al Shabaab claimed responsibility.")]
    got = event_actors(anchors, [], "Remote explosive/landmine/IED", civilians=False,
                       country="Somalia", nearby=nearby)  # fmt: skip
    assert got.actor1 == "Al Shabaab"
    # without it: an unidentified group
    got = event_actors(anchors, [], "Remote explosive/landmine/IED", civilians=False,
                       country="Somalia")  # fmt: skip
    assert got.actor1 == "Unidentified Armed Group (Somalia)"


def test_an_armed_opponent_is_flagged_and_civilians_are_not():
    s = [Sentence(0, 0, 60, "Malian soldiers killed a senior JNIM commander near Mopti.")]
    got = event_actors(s, [], "Attack", civilians=False, country="Mali")
    assert got.actor1 == "Military Forces of Mali" and got.armed_opponent
    got = event_actors(s, [], "Attack", civilians=True, country="Mali")
    assert got.actor2 == "Civilians (Mali)" and not got.armed_opponent


@pytest.mark.parametrize(
    "sentence, name",
    [
        # a country's name stands for its people
        ("Pakistan army troops raided a compound in Turbat.", "Military Forces of Pakistan"),
        ("Kenya police shot two suspects in Mandera.", "Police Forces of Kenya"),
        ("A drone strike by US military forces hit a car.", "Military Forces of the United States"),
        ("U.S. troops fired on a truck.", "Military Forces of the United States"),
        # a gendarmerie is counted among the military forces
        ("Burkinabe gendarmes shot a man at a checkpoint.", "Military Forces of Burkina Faso"),
        ("The gendarmerie forces beat a driver.", "Military Forces of {the_country}"),
        # armed groups named by their kind only
        ("Unidentified tribesmen clashed near Lawdar.", "Unidentified Tribal Militia ({country})"),
        ("Clashes broke out between two families in the camp.",
         "Unidentified Clan Militia ({country})"),
        ("Fighting between rival ethnic groups went on.",
         "Unidentified Ethnic Militia ({country})"),
        ("Two rival gang members shot a man.", "Unidentified Gang ({country})"),
    ],
)  # fmt: skip
def test_forces_and_groups_are_named_as_acled_names_them(sentence, name):
    assert find_actors(sentence)[0].name == name


def test_us_in_lower_case_is_no_state():
    assert [h.name for h in find_actors("They told us troops were near.")] == [
        "Military Forces of {the_country}"
    ]


@pytest.mark.parametrize(
    "country, actor1",
    [
        ("Mexico", "Unidentified Gang (Mexico)"),
        ("Kenya", "Unidentified Armed Group (Kenya)"),
        # in Brazil police militias kill the same way: ACLED names both
        ("Brazil", "Unidentified Gang and/or Police Militia (Brazil)"),
    ],
)
def test_a_drive_by_shooting_in_the_americas_is_gang_violence(country, actor1):
    s = [Sentence(0, 0, 70, "Two armed men carried out a drive-by shooting against a man.")]
    assert event_actors(s, [], "Attack", civilians=True, country=country).actor1 == actor1


def test_the_words_trie_matches_what_the_alternation_matches():
    from geomap.text.events.actors import _words_trie

    words = ["south sudanese", "south korean", "somali", "somaliland", "sudan", "sudanese"]
    trie = re.compile(rf"(?:{_words_trie(words)})\s+forces", re.I)
    alternation = re.compile(
        "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in
                         sorted(words, key=len, reverse=True)) + r")\s+forces", re.I)  # fmt: skip
    for text in ("South  Sudanese forces", "Somaliland forces", "Sudan forces", "Somali forces",
                 "south korean Forces", "Sudanes forces", "Korean forces"):  # fmt: skip
        a, b = trie.match(text), alternation.match(text)
        assert (a and a.group(0)) == (b and b.group(0))


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Suspected JNIM or ISGS fighters burned a school.",
         "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)"),
        ("Boko Haram/ISWAP fighters raided a camp.",
         "Islamic State (West Africa) and/or Boko Haram"),
        ("Taliban or IS militants attacked a post.", "Taliban and/or Islamic State"),
    ],
)  # fmt: skip
def test_either_group_is_named_a_and_or_b(sentence, name):
    (h,) = find_actors(sentence)
    assert (h.name, h.role) == (name, "agent")


def test_two_groups_named_side_by_side_stay_two():
    names = [h.name for h in find_actors("JNIM and ISGS fighters clashed near Menaka.")]
    assert names == [
        "JNIM: Group for Support of Islam and Muslims",
        "Islamic State (Greater Sahara)",
    ]


def test_a_drive_by_shooting_told_in_a_supporting_sentence_counts():
    anchors = [Sentence(0, 0, 40, "A teenager died of his wounds in hospital.")]
    supports = [Sentence(1, 41, 110, "Armed men on a scooter fired in a drive-by attack.")]
    got = event_actors(anchors, supports, "Attack", civilians=True, country="Brazil")
    assert got.actor1 == "Unidentified Gang and/or Police Militia (Brazil)"
    # a drive-by whose shooters are named keeps their name
    s = [Sentence(0, 0, 70, "Military police officers fired at a car in a drive-by pursuit.")]
    got = event_actors(s, [], "Attack", civilians=True, country="Brazil")
    assert got.actor1 == "Military Forces of Brazil"


@pytest.mark.parametrize("sub", ["Shelling/artillery/missile attack", "Armed clash"])
def test_fire_recorded_with_no_side_named_gets_no_side(sub):
    # monitors record fire without saying who fired: no side is guessed for them
    s = [Sentence(0, 0, 90, "The OSCE SMM recorded 14 explosions of unknown origin near Avdiivka.")]
    assert event_actors(s, [], sub, civilians=False, country="Ukraine").actor1 in (
        "",
        "Unidentified Armed Group (Ukraine)",
    )
    # a side the monitors name is that side
    s = [Sentence(0, 0, 90, "The OSCE SMM said Russian forces shelled houses near Avdiivka.")]
    assert event_actors(s, [], sub, civilians=False, country="Ukraine").actor1 == (
        "Military Forces of Russia"
    )
    # other monitors' reports name no side either: no guess
    s = [Sentence(0, 0, 90, "Observers recorded 14 explosions near a town on the border.")]
    assert event_actors(s, [], sub, civilians=False, country="Ukraine").actor1 in (
        "",
        "Unidentified Armed Group (Ukraine)",
    )


@pytest.mark.parametrize(
    "sentence, name",
    [
        # a people's warriors, raiders and clans are its ethnic militia
        ("Suspected Turkana raiders drove off 200 goats.", "Turkana Ethnic Militia ({country})"),
        ("Marakwet warriors ambushed a patrol.", "Marakwet Ethnic Militia ({country})"),
        # the first of two groups named together is the one that stands first
        ("Four died in fighting between Degodia and Ajuran clans.",
         "Degodia Ethnic Militia ({country})"),
        ("Clashes between Tiv and Jukun herders left two dead.", "Tiv Ethnic Militia ({country})"),
        # supporters of a party named by its acronym are the party
        ("MDC youths stoned a bus in Mutare.", "MDC"),
        ("Some TMC cadres beat a polling agent.", "TMC"),
        ("ZANU-PF supporters assaulted a vendor.", "ZANU-PF"),
    ],
)  # fmt: skip
def test_peoples_and_parties_are_named_by_their_own_name(sentence, name):
    assert find_actors(sentence)[0].name == name


@pytest.mark.parametrize(
    "sentence",
    [
        "Cattle raiders struck at dawn.",  # a kind of raider, not a people
        "Rival clans fought over a well.",
        "Gunmen shot at UN workers.",  # aid workers are no party
        "Armed men robbed NGO workers near a camp.",
    ],
)
def test_words_that_name_no_people_or_party_stay_unnamed(sentence):
    names = [h.name for h in find_actors(sentence)]
    assert not any("Ethnic Militia" in n and not n.startswith("Unidentified") for n in names)
    assert not any(n in ("UN", "NGO", "Cattle", "Rival") for n in names)


@pytest.mark.parametrize(
    "sentence",
    [
        "Military forces encounter Al Shabaab at Bulo Marer, killing four.",
        "Air forces launch strikes on a militant camp near Dikwa.",
        "The armed forces shelled positions north of the town.",
    ],
)
def test_military_armed_and_air_forces_with_no_nationality_are_the_country_forces(sentence):
    hits = find_actors(sentence)
    assert (hits[0].name, hits[0].role) == ("Military Forces of {the_country}", "agent")


@pytest.mark.parametrize(
    "sentence",
    [
        "Turkish troops and allied factions, operating under OPS, shelled the village of Umm Kayf.",
        "Turkish forces and rebel factions under OPS fired mortars at Ain Issa.",
    ],
)
def test_forces_operating_under_a_named_operation_are_the_operation(sentence):
    s = [Sentence(0, 0, len(sentence), sentence)]
    got = event_actors(s, [], "Shelling/artillery/missile attack", civilians=False, country="Syria")
    assert got.actor1 == "Operation Peace Spring"


def test_a_group_whose_area_an_attack_hit_is_not_its_doer():
    s = "Gunmen attacked a village under Taliban control."
    assert [h.role for h in find_actors(s) if h.name == "Taliban"] == [""]


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("A group of Mandara ethnic youths fought with herders at a well.",
         "Mandara Ethnic Militia ({country})"),
        ("Pro-government militiamen shot two shepherds.", "Militia (Pro-Government)"),
        ("Two clashes between pro-government militia groups left one dead.",
         "Militia (Pro-Government)"),
    ],
)  # fmt: skip
def test_ethnic_groups_and_pro_government_militias_are_named_as_acled_names_them(sentence, name):
    assert find_actors(sentence)[0].name == name


def test_pro_government_forces_are_no_militia():
    assert "Militia (Pro-Government)" not in [
        h.name for h in find_actors("Pro-government forces shelled the town.")
    ]


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Islamist militants burned houses in a coastal village.", "Islamist Militia ({country})"),
        ("Suspected Islamic militants beheaded two farmers.", "Islamist Militia ({country})"),
        # a named Islamist group keeps its name
        ("Islamic State militants ambushed a convoy.", "Islamic State"),
    ],
)
def test_islamist_militants_with_no_group_named_are_an_islamist_militia(sentence, name):
    assert find_actors(sentence)[0].name == name


def test_a_group_others_are_affiliated_with_is_not_the_doer():
    hits = find_actors("Two rival clans both affiliated with the MILF fought in a village.")
    assert [(h.name, h.role) for h in hits][1] == ("MILF: Moro Islamic Liberation Front", "")
    # the same group acting is the doer
    hits = find_actors("MILF fighters fought the army in a village.")
    assert hits[0].role == "agent"


@pytest.mark.parametrize(
    "sentence",
    [
        "Unidentified gunmen and Afghan security forces clashed; the Taliban claimed it.",
        "LNA forces shelled Tripoli as GNA troops and U.S. forces watched.",
        "Fulani militiamen, communal militias from Zamwara and BJP workers attacked.",
        "Two clans affiliated with the MILF, pro-government militias and the army fought.",
        "military forces of Artsakh, police officers, gendarmes and Kenya police",
        "al-Shabaab and al-Qaeda's fighters; ISWAP/Boko Haram; Élite ukrainian troops",
        "x-Taliban, anti-ISIS and re-armed men (no word starts after a hyphen), then armed men",
    ],
)
def test_the_first_letter_patterns_find_what_the_whole_patterns_find(sentence):
    """The per-letter patterns leave out the word-start look-behind (they are tried at word
    starts only) and are picked by the letter as written: the same matches as the whole."""
    from geomap.text.events.actors import _scan, _state_re, _table

    def spans(found, groups=False):
        return [(m.span(), m.lastgroup, m.groupdict() if groups else None) for m in found]

    named, states = _scan(sentence)
    assert named or states
    assert spans(named) == spans(_table()[0].full.finditer(sentence))
    assert spans(states, True) == spans(_state_re().full.finditer(sentence), True)
    assert "(?<![\\w-])" not in _state_re().by_char["T"].pattern
