"""Actor phrases: strong when tied to an attack word."""

from __future__ import annotations

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
