"""The place table of the tests: real GeoNames entries as the built gazetteer holds them.

Values are those of ``geomap geocode NAME --format json`` on ``data/gazetteer.sqlite``.
Tests read the table through the ``places`` fixture; this module is imported
directly only where a value is needed at collection time (parametrised tables,
the fake gazetteer).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from geomap.model import Place


class PlaceTable(Mapping[str, Place]):
    """Places by the short name reporting uses ("Rastan", not "Ar Rastan")."""

    def __init__(self, places: dict[str, Place]) -> None:
        self._places = places

    def __getitem__(self, name: str) -> Place:
        return self._places[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def point(self, name: str) -> tuple[float, float]:
        """(latitude, longitude) of ``name``."""
        place = self._places[name]
        return place.latitude, place.longitude


def _sy(gid: int, name: str, lat: float, lon: float, a1: str, admin1: str, pop: int) -> Place:
    feature = "admin1" if name.endswith("Governorate") else "city"
    return Place(gid, name, lat, lon, feature, "SY", "Syria", a1, admin1, pop)


PLACES = PlaceTable(
    {
        "Rastan": _sy(172946, "Ar Rastan", 34.92667, 36.73241, "11", "Homs", 53152),
        "Talbiseh": _sy(163779, "Tallbīsah", 34.84072, 36.73092, "11", "Homs", 38491),
        "Homs": _sy(169577, "Homs", 34.72405, 36.72559, "11", "Homs", 775404),
        "Homs Governorate": _sy(
            169575, "Homs Governorate", 34.56818, 37.2848, "11", "Homs", 1063969
        ),
        "Hama": _sy(170017, "Ḩamāh", 35.13179, 36.75783, "10", "Hama", 460602),
        "Kafr Zita": _sy(168620, "Kafr Zaytā", 35.37425, 36.6033, "10", "Hama", 21845),
        "Idlib": _sy(169389, "Idlib", 35.93062, 36.63393, "12", "Idlib", 128840),
        "Jisr ash Shughur": _sy(
            169023, "Jisr ash Shughūr", 35.81418, 36.31983, "12", "Idlib", 39311
        ),
        "Aleppo": _sy(170063, "Aleppo", 36.20124, 37.16117, "09", "Aleppo", 2098210),
        "Damascus": _sy(170654, "Damascus", 33.5102, 36.29128, "13", "Damascus", 1569394),
        "Deir ez-Zor": _sy(170794, "Deir ez-Zor", 35.33588, 40.14084, "07", "Deir ez-Zor", 271800),
        "Syria": Place(163843, "Syria", 35.0, 38.0, "country", "SY", "Syria", "", "", 16906283),
        "Moscow": Place(
            524901, "Moscow", 55.75204, 37.61781, "city", "RU", "Russia", "48", "Moskva", 10381222
        ),
        "Russia": Place(
            2017370, "Russia", 60.0, 100.0, "country", "RU", "Russia", "", "", 144478050
        ),
        "United States": Place(
            6252001,
            "United States",
            38.0,
            -97.0,
            "country",
            "US",
            "United States",
            "",
            "",
            327167434,
        ),
    }
)
