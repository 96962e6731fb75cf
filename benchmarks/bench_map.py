"""Map benchmark: geomap.render.maps vs naive folium (one Marker per event in a MarkerCluster).

For 1k, 10k and 100k synthetic events, measured in the same run:
  * generation time (build the map + render the HTML string, in a fresh process),
  * HTML size (the page as saved normally, referencing folium's CDN URLs),
  * browser ready: headless Chromium, from navigation start until the first
    marker or cluster is on screen.  Both pages get their JS/CSS from the local
    npm copy (requests to the CDN URLs are answered from data/npm/node_modules),
    and tile requests are refused, so the network plays no part.

Run:  .venv/bin/python benchmarks/bench_map.py [--sizes 1000,10000,100000] [--timeout 300]
Targets at 100k: HTML <= 15 MB, generation <= 10 s, browser ready <= 3 s, and at
least 5x better than naive on every figure.  A naive step that exceeds the
timeout is reported as "> T".
"""

from __future__ import annotations

import argparse
import html
import json
import mimetypes
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
READY_JS = """() => !!document.querySelector('.marker-cluster, .gm-cluster, .leaflet-marker-icon')
    || !!(window.geomap && geomap.ready && geomap.layers.points.getLayers().length)"""


def generate(kind: str, n: int, out: Path) -> dict:
    """Runs in a child process: build + render one map, write it, report timings."""
    from tests.synthetic_events import synthetic_events

    events = synthetic_events(n)
    start = time.perf_counter()
    if kind == "geomap":
        from geomap.render import build_map, render_html

        page = render_html(build_map(events, title=f"{n} synthetic events"))
    else:
        import folium
        from folium.plugins import MarkerCluster

        m = folium.Map(location=[35, 39], zoom_start=6)
        cluster = MarkerCluster().add_to(m)
        for e in events:
            text = "<br>".join(html.escape(str(v)) for v in (
                e.event_date, e.event_type, e.actor1, e.actor2, e.location,
                f"{e.deaths_low}-{e.deaths_high} ({e.deaths_best})", e.source, e.quote))
            folium.Marker([e.latitude, e.longitude], popup=folium.Popup(text, max_width=300),
                          tooltip=html.escape(e.location)).add_to(cluster)
        page = m.get_root().render()
    seconds = time.perf_counter() - start
    out.write_text(page, encoding="utf-8")
    result = {"gen_s": seconds, "bytes": out.stat().st_size}
    if kind == "geomap":  # also the self-contained size
        from geomap.render import build_map, render_html

        sc = render_html(build_map(events, self_contained=True), self_contained=True)
        result["self_contained_bytes"] = len(sc.encode("utf-8"))
    return result


def run_child(kind: str, n: int, out: Path, timeout: float) -> dict | None:
    cmd = [sys.executable, __file__, "--child", kind, str(n), str(out)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"{kind} {n} failed:\n{exc.stderr}") from exc
    return json.loads(proc.stdout.strip().splitlines()[-1])


def browser_ready(browser, path: Path, timeout: float) -> float | None:
    from geomap.render import assets

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()

    def handle(route):
        asset = assets.asset_for_url(route.request.url)
        if asset is not None:
            file = assets.asset_file(asset.key)
            route.fulfill(body=file.read_bytes(),
                          content_type=mimetypes.guess_type(file.name)[0] or "text/plain")
        elif route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", handle)
    try:
        page.goto(path.as_uri(), wait_until="commit", timeout=timeout * 1000)
        page.wait_for_function(READY_JS, timeout=timeout * 1000, polling="raf")
        ms = page.evaluate("performance.now()")
        return ms / 1000.0
    except Exception as exc:  # a timeout is a result here, not a crash
        if "Timeout" not in type(exc).__name__ and "Timeout" not in str(exc):
            raise
        return None
    finally:
        context.close()


def fmt_s(v: float | None, cap: float) -> str:
    return f"> {cap:.0f} s" if v is None else f"{v:.2f} s"


def fmt_mb(v: int | None) -> str:
    return "n/a" if v is None else f"{v / 1e6:.2f} MB"


def ratio(naive: float | None, ours: float | None, cap: float | None = None) -> str:
    if ours is None or ours <= 0:
        return "n/a"
    if naive is None:
        return f"> {cap / ours:.1f}x" if cap else "n/a"
    return f"{naive / ours:.1f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="cap for naive generation (s); browser cap is 60 s")
    parser.add_argument("--browser-timeout", type=float, default=60.0)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "N", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, n, out = args.child
        print(json.dumps(generate(kind, int(n), Path(out))))
        return

    from playwright.sync_api import sync_playwright

    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        warm = Path(tmp) / "warm.html"  # the first page of a fresh browser pays its start-up
        run_child("geomap", 10, warm, args.timeout)
        browser_ready(browser, warm, args.browser_timeout)
        for n in sizes:
            ours_path, naive_path = Path(tmp) / f"geomap-{n}.html", Path(tmp) / f"naive-{n}.html"
            ours = run_child("geomap", n, ours_path, args.timeout)
            naive = run_child("naive", n, naive_path, args.timeout)
            ours_ready = browser_ready(browser, ours_path, args.browser_timeout)
            naive_ready = (browser_ready(browser, naive_path, args.browser_timeout)
                           if naive else None)
            rows.append((n, ours, naive, ours_ready, naive_ready))
            print(f"n={n:>7}: geomap gen {fmt_s(ours['gen_s'], 0)}, "
                  f"{fmt_mb(ours['bytes'])} "
                  f"(self-contained {fmt_mb(ours['self_contained_bytes'])}),"
                  f" ready {fmt_s(ours_ready, args.browser_timeout)} | naive gen "
                  f"{fmt_s(naive and naive['gen_s'], args.timeout)}, "
                  f"{fmt_mb(naive and naive['bytes'])}, "
                  f"ready {fmt_s(naive_ready, args.browser_timeout) if naive else 'not generated'}",
                  flush=True)
            naive_path.unlink(missing_ok=True)
        browser.close()

    print()
    print(f"{'events':>8} | {'generation (geomap / naive / ratio)':<36} | "
          f"{'HTML size (geomap / naive / ratio)':<36} | browser ready (geomap / naive / ratio)")
    for n, ours, naive, ours_ready, naive_ready in rows:
        gen = (f"{fmt_s(ours['gen_s'], 0)} / {fmt_s(naive and naive['gen_s'], args.timeout)} / "
               f"{ratio(naive and naive['gen_s'], ours['gen_s'], args.timeout)}")
        size = (f"{fmt_mb(ours['bytes'])} / {fmt_mb(naive and naive['bytes'])} / "
                f"{ratio(naive and naive['bytes'], ours['bytes'])}")
        ready = (f"{fmt_s(ours_ready, args.browser_timeout)} / "
                 f"{fmt_s(naive_ready, args.browser_timeout) if naive else 'not generated'} / "
                 f"{ratio(naive_ready, ours_ready, args.browser_timeout if naive else None)}")
        print(f"{n:>8} | {gen:<36} | {size:<36} | {ready}")
    last = rows[-1]
    if last[0] >= 100_000:
        ok = (last[1]["bytes"] <= 15e6, last[1]["gen_s"] <= 10, (last[3] or 1e9) <= 3)
        print(f"\ntargets at {last[0]}: HTML <= 15 MB {'OK' if ok[0] else 'MISSED'}, "
              f"generation <= 10 s {'OK' if ok[1] else 'MISSED'}, "
              f"browser ready <= 3 s {'OK' if ok[2] else 'MISSED'}")


if __name__ == "__main__":
    main()
