"""ACLED's names for actors that depend on the country: the spelling of a country inside
an actor's name ("Military Forces of the United States", "... of Democratic Republic of
Congo"), and the names ACLED gives to unattributed violence where the setting defines
them (gang-style shootings in the Americas)."""

from __future__ import annotations

import re

#: ACLED's spelling of a few country names in actor names ("Military Forces of the ...")
ACLED_COUNTRY_NAMES = {
    "Democratic Republic of the Congo": "Democratic Republic of Congo",
    "Republic of the Congo": "Republic of Congo",
    "Palestinian Territory": "Palestine",
    "Ivory Coast": "Ivory Coast",
}
_WITH_THE = ("Democratic Republic", "Republic of", "United ", "Central African", "Philippines",
             "Netherlands", "Gambia", "Bahamas")  # fmt: skip

#: where ACLED names unknown shooters of gang-style attacks an "Unidentified Gang": the
#: Americas and the Caribbean
GANG_COUNTRIES = frozenset(
    ("Mexico", "Brazil", "Colombia", "Venezuela", "Honduras", "Guatemala", "El Salvador", "Haiti",
     "Jamaica", "Ecuador", "Peru", "Trinidad and Tobago", "Costa Rica", "Panama", "Belize",
     "Nicaragua", "Dominican Republic", "Puerto Rico", "Argentina", "Chile", "Bolivia",
     "Paraguay", "Uruguay")
)  # fmt: skip
DRIVE_BY_RE = re.compile(r"\bdrive-?by\b", re.I)
DRIVE_BY_NAMES = {"Brazil": "Unidentified Gang and/or Police Militia ({country})"}


def _acled_country(country: str) -> str:
    return ACLED_COUNTRY_NAMES.get(country, country)


def the_country(country: str) -> str:
    """ACLED's name of a country as it follows "Forces of" ("the United States")."""
    acled = _acled_country(country)
    return f"the {acled}" if acled.startswith(_WITH_THE) else acled


def named(template: str, country: str) -> str:
    """An actor name with its "{country}" filled, or dropped when the country is unknown."""
    acled = _acled_country(country)
    the = the_country(country)
    if acled:
        return template.replace("{the_country}", the).replace("{country}", acled)
    return (
        template.replace(" of {the_country}", "")
        .replace(" of {country}", "")
        .replace(" ({country})", "")
    )
