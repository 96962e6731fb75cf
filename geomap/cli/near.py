"""``geomap near``: events within a radius of a place, nearest first."""

from __future__ import annotations

import json
import re

import click

from geomap.cli.options import filter_options, format_option, store_option

_NEGATIVE_LATLON = re.compile(r"^-\d+(\.\d+)?\s*,\s*[-+]?\d+(\.\d+)?$")
_TABLE_COLUMNS = ("distance_km", "event_date", "event_type", "location", "admin1",
                  "deaths_low", "deaths_best", "deaths_high", "n_sources", "event_id")  # fmt: skip


def _fmt(value) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"  # unknown (None, NaN, <NA>)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def render_table(frame) -> str:
    import geomap

    rows = [[_fmt(r[c]) for c in _TABLE_COLUMNS] for _, r in frame.iterrows()]
    rows = [[c[:40] for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(_TABLE_COLUMNS)]
    line = "  ".join(h.ljust(w) for h, w in zip(_TABLE_COLUMNS, widths, strict=False))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)) for r in rows]
    t = geomap.totals(frame)
    out.append(
        f"Total: {t['events']} events; deaths low {t['deaths_low']}, best {t['deaths_best']}, "
        f"high {t['deaths_high']} (unknown counted as 0)"
    )
    return "\n".join(out)


class _NearCommand(click.Command):
    """Lets a negative coordinate pair ("-33.9,18.4") be PLACE rather than an option."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        coords = [a for a in args if _NEGATIVE_LATLON.match(a)]
        if coords and "--" not in args:
            args = [a for a in args if not _NEGATIVE_LATLON.match(a)] + ["--", *coords]
        return super().parse_args(ctx, args)


@click.command("near", cls=_NearCommand)
@click.argument("place")
@click.option(
    "--radius",
    default="25",
    show_default=True,
    metavar="KM",
    help="Radius in kilometres (geodesic).",
)
@format_option("table", "json", "geojson", "csv",
               help="table (ends with totals), json (centre + events), geojson or csv.")
@filter_options
@store_option
def near(place, radius, fmt, store, **filters):
    """Events within --radius km of PLACE (a name or LAT,LON), nearest first."""
    import geomap

    frame = geomap.near(place, radius, store=store, **filters)
    center = frame.attrs.get("center", {})
    radius_km = center["radius_km"]
    fmt = fmt.lower()
    if fmt == "table":
        name = center.get("name") or center.get("query")
        click.echo(
            f"Events within {radius_km:g} km of {name} "
            f"({center.get('latitude'):.5f}, {center.get('longitude'):.5f})"
        )
        click.echo(render_table(frame))
    elif fmt == "csv":
        click.echo(frame.drop(columns="geometry").to_csv(index=False), nl=False)
    elif fmt == "geojson":
        click.echo(frame.to_json(na="null", drop_id=True))
    else:
        records = json.loads(frame.drop(columns="geometry").to_json(orient="records"))
        for rec in records:  # nested JSON text -> objects
            rec["source_ids"] = json.loads(rec.get("source_ids") or "[]")
            rec["extra"] = json.loads(rec["extra"]) if rec.get("extra") else {}
        click.echo(json.dumps({"center": center, "events": records}, indent=2, ensure_ascii=False))
