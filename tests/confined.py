"""Running ``geomap`` on a data folder that cannot be written, or on a full disk.

Permissions do not bind root, so as root the folder is a small tmpfs in a
private mount namespace (``unshare``): remounted read-only, or filled up.
Other users get a ``chmod``-ed folder for "read-only"; "full" needs root.
Tests skip when neither is possible here.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

#: the tmpfs holding the data folder (the cache fits; a full one is filled to the brim)
TMPFS_SIZE = "4m"


@lru_cache(maxsize=1)
def _can_unshare() -> bool:
    """Whether a private mount namespace with a tmpfs can be made here (root, CAP_SYS_ADMIN)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "mount", "-t",
                                "tmpfs", "-o", "size=64k", "tmpfs", folder],
                               capture_output=True)  # fmt: skip
    return probe.returncode == 0


def run_geomap(folder: Path, args: list[str], *, mode: str, env: dict[str, str],
               timeout: float = 120) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """``python -m geomap ARGS`` with ``folder`` (its files kept) read-only or on a full disk."""
    command = [sys.executable, "-m", "geomap", *args]
    if _can_unshare():
        source = folder.with_name(folder.name + "-source")
        shutil.rmtree(source, ignore_errors=True)
        shutil.copytree(folder, source)
        fill = f"dd if=/dev/zero of={folder}/filler bs=4k 2>/dev/null; " if mode == "full" else ""
        ro = f"mount -o remount,ro {folder} && " if mode == "read-only" else ""
        script = (
            f"mount -t tmpfs -o size={TMPFS_SIZE} tmpfs {folder} && "
            f"cp -a {source}/. {folder}/ && {fill}{ro}exec {shlex.join(command)}"
        )
        return subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                               script], capture_output=True, text=True, env=env,
                              timeout=timeout)  # fmt: skip
    if mode != "read-only" or os.geteuid() == 0:
        pytest.skip("a full disk or a read-only folder for root needs unshare (a private tmpfs)")
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    try:
        for p in modes:
            p.chmod(0o555 if p.is_dir() else 0o444)
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
    finally:
        for p, m in modes.items():
            p.chmod(m)
