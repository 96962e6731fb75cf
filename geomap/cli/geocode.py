"""``geomap geocode``: resolve place names offline (cache, then gazetteer), online on request."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from geomap import USER_AGENT_ENV, GeomapError
from geomap.cli.options import format_option

if TYPE_CHECKING:
    from geomap import GeocodeResult


def _provenance(result: GeocodeResult) -> str:
    if result.error:
        return result.provider + " (failed)"
    return f"{result.provider} (cache)" if result.from_cache else result.provider


#: The widest a query is shown in the table (a longer one is cut, with its length).
QUERY_CELL = 60


def _cell(text: str) -> str:
    return text if len(text) <= QUERY_CELL else f"{text[:QUERY_CELL]}… ({len(text):,} chars)"


def _table(results: list[GeocodeResult]) -> str:
    header = (
        "query",
        "geonameid",
        "name",
        "feature",
        "latitude",
        "longitude",
        "country",
        "admin1",
        "source",
    )
    rows = [header]
    for r in results:
        place = r.place
        rows.append(
            (
                _cell(r.query),
                str(place.geonameid) if place else "-",
                place.name if place else ("(pinned)" if r.pinned else "not found"),
                place.feature if place else "-",
                f"{r.latitude:.5f}" if r.found else "-",
                f"{r.longitude:.5f}" if r.found else "-",
                (place.country if place else r.hints.get("country", "")) or "-",
                (place.admin1 if place else "") or "-",
                _provenance(r),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


@click.command("geocode")
@click.argument("names", nargs=-1, required=True)
@click.option(
    "--country",
    metavar="CC",
    default=None,
    help="Only places in this country (ISO 3166-1 alpha-2, e.g. SY).",
)
@click.option(
    "--admin1",
    default=None,
    help="Prefer places in this admin-1 region (GeoNames code or name, e.g. Homs).",
)
@click.option(
    "--online",
    "online",
    metavar="SERVICE",
    default=None,
    help="Ask this geopy service (e.g. nominatim) when the gazetteer has no answer.",
)
@click.option(
    "--user-agent", default=None, help=f"User agent for --online (default: ${USER_AGENT_ENV})."
)
@format_option("table", "json")
def geocode(
    names: tuple[str, ...],
    country: str | None,
    admin1: str | None,
    online: str | None,
    user_agent: str | None,
    fmt: str,
) -> None:
    """Geocode each NAME and print the result with its provenance.

    Answers come from pins, the cache, the offline gazetteer or (with --online)
    a geopy service, and are cached.  Exit code 1 when a name is not found.
    """
    import geomap

    results = geomap.geocode_many(
        names, country=country, admin1=admin1, online=online, user_agent=user_agent
    )
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        click.echo(_table(results))
    missing = [r for r in results if not r.found]
    for r in missing:
        where = f" in {r.hints['country']}" if r.hints.get("country") else ""
        error = GeomapError(
            r.error
            or f"no place called {r.query!r} was found{where}. Fix: check the spelling,"
            f" drop or change --country, try --online nominatim, or pin it:"
            f" geomap cache pin {r.query!r} LAT LON"
        )
        click.echo(f"Error: {error.line()}", err=True)
    if missing:
        raise SystemExit(1)
