"""The document's focus: evidence for countries and admin-1 regions."""

from __future__ import annotations

from geomap.text.focus import Evidence


def test_a_name_is_no_evidence_for_itself_in_any_case():
    ev: Evidence[str] = Evidence()
    ev.add("PORTLAND", "JM", 1.0)  # a dateline in capitals
    ev.add("Portland", "JM", 1.0)
    ev.add("Toronto", "CA", 1.0)
    assert ev.share("Portland", "JM") == 0.0
    assert ev.share("Portland", "CA") == 1.0
    assert ev.share("Toronto", "JM") == 1.0


def test_the_share_of_one_name_answers_as_share():
    ev: Evidence[str] = Evidence()
    ev.add("Homs", "SY", 1.5)
    ev.add("Syria", "SY", 1.0)
    ev.add("Beirut", "LB", 1.5)
    ev.add("Lone", "XX", 0.3)
    for name in ("Homs", "HOMS", "Syria", "Beirut", "Nowhere"):
        of = ev.share_of(name)
        for what in ("SY", "LB", "XX", "FR"):
            assert of(what) == ev.share(name, what)
    assert ev.share_of("Syria")("SY") == 1.5 / 3.3
    assert ev.share_of("Nowhere")("LB") == 1.5 / 4.3
    alone: Evidence[str] = Evidence()
    alone.add("Homs", "SY", 1.0)
    assert alone.share_of("Homs")("SY") == 0.0  # no other name: no evidence
