"""``geomap near``: events within a radius of a place, nearest first."""

from __future__ import annotations

import json
import re

import click

from geomap.cli.options import filter_options, format_option, store_or_dataset_option

_NEGATIVE_LATLON = re.compile(r"^-\d+(\.\d+)?\s*,\s*[-+]?\d+(\.\d+)?$")
_TABLE_COLUMNS = ("distance_km", "event_date", "event_type", "location", "admin1", "deaths",
                  "n_sources", "event_id")  # fmt: skip
#: Stored columns the table is made of.
_TABLE_NEEDS = ("event_id", "event_date", "event_type", "location", "admin1", "deaths_low",
                "deaths_best", "deaths_high", "n_sources")  # fmt: skip


def _known(value) -> int | None:
    import pandas as pd

    return None if value is None or pd.isna(value) else int(value)


def deaths_text(low, best, high) -> str:
    """Deaths as analysts write them: "33", "≥ 33" (a low with no high), "43–52 (best 47)",
    "unknown"."""
    lo, be, hi = _known(low), _known(best), _known(high)
    if lo is None and hi is None:  # a single figure, or none
        return "unknown" if be is None else str(be)
    lo = be if lo is None else lo
    if lo is None:
        return f"≤ {hi}"
    inside = f" (best {be})" if be is not None and be > lo and (hi is None or be < hi) else ""
    if hi is None:
        return f"≥ {lo}{inside}"
    return str(lo) if hi <= lo else f"{lo}–{hi}{inside}"


def _fmt(row, column: str) -> str:
    if column == "deaths":
        return deaths_text(row["deaths_low"], row["deaths_best"], row["deaths_high"])
    import pandas as pd

    value = row[column]
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return "-"  # unknown (None, NaN, <NA>)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def render_table(frame) -> str:
    """The near table: one line per event, nearest first, then the totals."""
    import geomap

    rows = [[_fmt(r, c)[:40] for c in _TABLE_COLUMNS] for _, r in frame.iterrows()]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(_TABLE_COLUMNS)]
    line = "  ".join(h.ljust(w) for h, w in zip(_TABLE_COLUMNS, widths, strict=False))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)) for r in rows]
    t = geomap.totals(frame)
    open_high = bool(len(frame)) and bool(frame["deaths_high"].isna().any())
    high = "unknown" if open_high else str(t["deaths_high"])
    noun = "event" if t["events"] == 1 else "events"
    out.append(f"Total: {t['events']} {noun}; deaths low {t['deaths_low']}, "
               f"best {t['deaths_best']}, high {high}")
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
@click.option(
    "--columns",
    default=None,
    metavar="NAMES",
    help="Columns of json, geojson and csv output: all, or a comma-separated list "
    "(default: id, date, type, sub-type, actors, country, admin1, location, point, "
    "precision, deaths low/best/high, n_sources).",
)
@filter_options
@store_or_dataset_option
def near(place, radius, fmt, columns, store, **filters):
    """Events within --radius km of PLACE (a name or LAT,LON), nearest first."""
    import geomap

    if fmt.lower() == "table" and columns is not None:
        columns = ",".join(dict.fromkeys([*_TABLE_NEEDS, *columns.split(",")]))
    frame = geomap.near(place, radius, columns=columns, store=store, **filters)
    center = frame.attrs.get("center", {})
    if fmt.lower() != "table":  # distances as they are meant: to 0.1 km
        frame["distance_km"] = frame["distance_km"].round(1)
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
            if "source_ids" in rec:
                rec["source_ids"] = json.loads(rec["source_ids"] or "[]")
            if "extra" in rec:
                rec["extra"] = json.loads(rec["extra"]) if rec["extra"] else {}
        click.echo(json.dumps({"center": center, "events": records}, indent=2, ensure_ascii=False))
