"""The package carries everything: vendored assets, boundary data, templates, the demo seed.

The slow tests build the wheel from a copy of the checkout, install it into a
fresh virtual environment outside it and make maps there with an empty data
directory, as a user of ``pip install`` would; Chromium then opens the
self-contained map and sees no request leave the page.  The fresh environment
gets geomap's dependencies from the environment running the tests (a ``.pth``
line, never the network), and an audit hook in it refuses any file opened in
the checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from geomap import config
from geomap.render import assets

VENDOR = config.VENDOR_DIR
CHROMIUM = os.environ.get("GEOMAP_CHROMIUM", "/usr/bin/chromium")
#: What the wheel may weigh (it is about 7.5 MB: boundary data 6.3 MB, map assets 1 MB).
MAX_WHEEL_BYTES = 12_000_000


def _manifest() -> dict:
    return json.loads((VENDOR / "vendor.json").read_text(encoding="utf-8"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the vendored folder ----------------------------------------------------------------


def test_every_vendored_file_is_recorded_with_its_checksum():
    recorded = {f["path"]: f for p in _manifest()["packages"] for f in p["files"]}
    present = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}
    assert present - {"vendor.json", "README.md"} == set(recorded)
    changed = [path for path, f in recorded.items()
               if _sha256(VENDOR / path) != f["sha256"] or (VENDOR / path).stat().st_size
               != f["bytes"]]  # fmt: skip
    assert changed == []


def test_every_package_has_its_licence_and_the_lockfile_version(repo_root):
    lock = json.loads((repo_root / "data" / "npm" / "package-lock.json").read_text())
    for package in _manifest()["packages"]:
        name = package["name"]
        assert package["version"] == lock["packages"][f"node_modules/{name}"]["version"], name
        meta = json.loads((VENDOR / name / "package.json").read_text(encoding="utf-8"))
        assert meta["version"] == package["version"], name
        licences = [f for f in package["files"] if "licen" in f["path"].lower()]
        assert licences and package["license"], name


def test_every_asset_the_map_uses_is_vendored(monkeypatch):
    monkeypatch.delenv("GEOMAP_ASSETS_DIR", raising=False)
    assert config.assets_dir() == VENDOR
    missing = [a.key for a in assets.ASSETS if not (VENDOR / a.package / a.file).is_file()]
    assert missing == []
    for asset in assets.ASSETS:
        assert assets.package_version(asset.package), asset.package


def test_the_demo_seed_in_the_package_is_the_checkout_s(repo_root):
    from geomap import mapping

    seed = repo_root / "seeds" / mapping.DEMO_SEED.name
    assert mapping.DEMO_SEED == Path(config.__file__).resolve().parent / "seeds" / seed.name
    assert mapping.DEMO_SEED.read_bytes() == seed.read_bytes(), "copy seeds/ into geomap/seeds/"


@pytest.mark.slow
def test_the_vendored_folder_is_what_the_npm_install_gives(repo_root):
    """``data/vendor_assets.py --check`` writes the folder again and compares it."""
    if not (repo_root / "data" / "npm" / "node_modules" / "leaflet").is_dir():
        pytest.skip("no npm install in data/npm (npm ci --prefix data/npm)")
    script = repo_root / "data" / "vendor_assets.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(repo_root)})
    assert done.returncode == 0, done.stdout + done.stderr


# -- the wheel ----------------------------------------------------------------------------


def _builds_offline() -> bool:
    """setuptools >= 70.1 builds wheels without the ``wheel`` package or the network."""
    try:
        major, minor = (int(x) for x in metadata.version("setuptools").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return (major, minor) >= (70, 1)


def _copy_checkout(repo: Path, target: Path) -> None:
    """The files a clone has, without what set-up and tests wrote.

    ``build``, ``dist`` and ``out`` are skipped at the top only: the vendored
    packages have ``dist`` folders of their own.
    """
    anywhere = shutil.ignore_patterns(".git", ".venv", "node_modules", "__pycache__",
                                      "*.egg-info", "*.sqlite*", ".*_cache")  # fmt: skip
    top = {"build", "dist", "out", "test-artifacts"}

    def skip(folder: str, names: list[str]) -> set[str]:
        here = top & set(names) if Path(folder) == repo else set()
        return anywhere(folder, names) | here

    shutil.copytree(repo, target, ignore=skip, symlinks=True)


@pytest.fixture(scope="module")
def wheel(repo_root, tmp_path_factory) -> Path:
    if not _builds_offline():
        pytest.skip("needs setuptools>=70.1 to build offline: pip install -e '.[test]'")
    work = tmp_path_factory.mktemp("wheel")
    _copy_checkout(repo_root, work / "src")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-index", "--no-build-isolation",
         "-q", "-w", str(work / "dist"), str(work / "src")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = (work / "dist").glob("geomap-*.whl")
    return path


@pytest.mark.slow
def test_the_wheel_carries_assets_boundaries_templates_and_the_seed(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    vendored = {f"geomap/vendor/{f['path']}" for p in _manifest()["packages"] for f in p["files"]}
    assert vendored - names == set()
    assert {"geomap/vendor/vendor.json", "geomap/vendor/README.md",
            "geomap/render/templates/geomap.js", "geomap/render/templates/geomap.css",
            "geomap/seeds/russian-airstrikes-syria-2015-09-30.txt",
            "geomap/text/lexicon/demonyms.txt"} - names == set()  # fmt: skip
    assert not [n for n in names if n.startswith(("tests/", "data/", "seeds/", "benchmarks/"))]
    assert wheel.stat().st_size < MAX_WHEEL_BYTES


#: Loaded by a .pth line in the fresh environment: refuses to open files in the checkout.
GUARD = '''
import os, sys
_FORBIDDEN = os.environ.get("GEOMAP_TEST_FORBIDDEN", "")
_ALLOWED = tuple(p for p in os.environ.get("GEOMAP_TEST_ALLOWED", "").split(os.pathsep) if p)

def _refuse_the_checkout(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path.startswith(_FORBIDDEN + os.sep) and not path.startswith(_ALLOWED):
            raise PermissionError(f"the checkout was opened: {path}")

if _FORBIDDEN:
    sys.addaudithook(_refuse_the_checkout)
'''

ARTICLE = """---
date: 2016-03-02
source: Test Wire
---
Shelling hits Homs

Government shelling killed at least nine people in the Syrian city of Homs
on Wednesday, a local medic told Test Wire.
"""


def _site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_path('purelib'))"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


@pytest.fixture(scope="module")
def fresh_install(wheel, repo_root, tmp_path_factory) -> dict:
    """A virtual environment outside the checkout with the wheel installed and nothing else."""
    home = tmp_path_factory.mktemp("fresh")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    ours = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    site = _site_packages(python)
    (site / "zz_geomap_test_dependencies.pth").write_text("\n".join(ours) + "\n")
    (site / "_geomap_guard.py").write_text(GUARD)
    (site / "_geomap_guard.pth").write_text("import _geomap_guard\n")
    (home / "user").mkdir()
    (home / "data").mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GEOMAP_", "PYTHON", "VIRTUAL_ENV"))}  # fmt: skip
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", HOME=str(home / "user"),
               GEOMAP_DATA_DIR=str(home / "data"), GEOMAP_TEST_FORBIDDEN=str(repo_root.resolve()),
               GEOMAP_TEST_ALLOWED=os.pathsep.join(str(Path(p).resolve()) for p in ours))
    return {"venv": venv, "cwd": home / "user", "data": home / "data", "env": env}


def _geomap(fresh: dict, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    done = subprocess.run([str(fresh["venv"] / "bin" / "geomap"), *args], cwd=fresh["cwd"],
                          env=fresh["env"], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"geomap {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_the_fresh_install_uses_only_its_own_files(fresh_install):
    code = ("import geomap, geomap.config as c, geomap.mapping as m; "
            "print(geomap.__file__); print(c.assets_dir()); print(m.DEMO_SEED)")
    done = subprocess.run([str(fresh_install["venv"] / "bin" / "python"), "-c", code],
                          cwd=fresh_install["cwd"], env=fresh_install["env"], capture_output=True,
                          text=True, check=True)  # fmt: skip
    venv = str(fresh_install["venv"])
    assert [line.startswith(venv) for line in done.stdout.splitlines()] == [True] * 3


@pytest.mark.slow
@pytest.mark.browser
def test_a_fresh_install_makes_maps_offline_with_an_empty_data_dir(fresh_install):
    fresh = fresh_install
    demo = _geomap(fresh, "map", "-o", "demo.html")  # the first run builds the gazetteer
    assert "building the offline gazetteer" in demo.stderr
    assert (fresh["data"] / "gazetteer.sqlite").is_file()
    assert (fresh["cwd"] / "demo.html").stat().st_size > 10_000
    (fresh["cwd"] / "homs.txt").write_text(ARTICLE, encoding="utf-8")
    extracted = _geomap(fresh, "extract", "homs.txt", "--format", "json")
    assert '"admin1": "Homs"' in extracted.stdout
    _geomap(fresh, "map", "homs.txt", "--self-contained", "-o", "homs.html")  # stores the event
    near = _geomap(fresh, "near", "Homs", "--radius", "25")
    assert "Total: 1 event; deaths low 9" in near.stdout
    _opens_with_no_request(fresh["cwd"] / "homs.html")


#: Opens a page in headless Chromium and prints its requests and errors as JSON.  It runs in
#: a process of its own: the browser tests' Playwright may still be running in this one.
OPEN_PAGE = """
import json, sys
from playwright.sync_api import sync_playwright
chromium, url = sys.argv[1:]
requests, errors = [], []
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, headless=True,
                                args=["--no-sandbox", "--disable-gpu"])
    try:
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_function("window.geomap && geomap.ready", timeout=30_000)
    finally:
        browser.close()
print(json.dumps({"requests": requests, "errors": errors}))
"""


def _opens_with_no_request(page_file: Path) -> None:
    pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    own = page_file.resolve().as_uri()
    done = subprocess.run([sys.executable, "-c", OPEN_PAGE, CHROMIUM, own], capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert [u for u in seen["requests"] if u != own and not u.startswith(("data:", "blob:"))] == []
    assert seen["errors"] == []
