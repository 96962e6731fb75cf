"""Reading the source packages (geomap.gazetteer.sources): admin-2 districts and the
district each cities500 place lies in, checked on known places."""

from __future__ import annotations

from geomap.gazetteer import sources


def test_districts_and_the_places_in_them():
    by_row = {d.row: d for d in sources.districts()}
    member = sources.city_districts()
    # Teresina (3386496) is the seat of its own municipality in Piaui (BR.20)
    teresina = by_row[member[3386496]]
    assert (teresina.name, teresina.country_code, teresina.admin1_code) == ("Teresina", "BR", "20")
    # Kabul city (1138958) lies in Kabul district of Kabul province (AF.13)
    kabul = by_row[member[1138958]]
    assert (kabul.name, kabul.country_code, kabul.admin1_code) == ("Kabul", "AF", "13")
    assert all(d.geonameid > 0 and d.admin2_code for d in by_row.values())
    # a place with an admin-1 only (Andorra has no admin-2) is in no district
    assert 3038832 not in member
