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
