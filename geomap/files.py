"""Writing files so that readers never see half of one.

Every file geomap writes for a user (maps, exports, cache exports, extract
output, the gazetteer) is written to a temporary sibling and renamed over
the target only when complete: an error or a kill leaves the old file, or
none, never a truncated one.  A target that is not a file but a device or a
pipe (``/dev/null``, ``/dev/stdout``, a FIFO) gets the finished file's bytes
copied into it: renaming over it (or a writer deleting it first, as GDAL
does) would put a plain file where the device was.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def replacing(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a fresh temporary path beside ``target``; rename it over ``target``
    when the block ends without an error (or, for a device or a pipe, copy it
    into ``target``), delete it otherwise.

    The temporary name keeps ``target``'s suffix (some writers choose the
    format by it) and does not exist yet when yielded.  The finished file gets
    the usual permissions (``0o666`` less the umask): maps and exports are for
    sharing.  When ``target`` is a device or a pipe (through a symlink too), the
    temporary file is made in the system's temporary folder and its bytes are
    copied into ``target`` at the end.
    """
    target = Path(target)
    stream = _is_stream(target)
    unique = f"{os.getpid()}-{secrets.token_hex(4)}"
    folder = Path(tempfile.gettempdir()) if stream else target.parent
    tmp = folder / f".{target.stem}.{unique}.tmp{target.suffix}"
    try:
        yield tmp
        if stream:
            with open(tmp, "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            tmp.unlink()
        else:
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _is_stream(target: Path) -> bool:
    """Whether ``target`` is (or links to) something other than a file or a folder:
    a character or block device, a pipe or a socket."""
    try:
        mode = os.stat(target).st_mode  # follows a symlink such as /dev/stdout
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextmanager
def open_replacing(
    target: str | os.PathLike[str],
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    errors: str | None = None,
) -> Iterator[IO[str]]:
    """A text file handle whose content replaces ``target`` atomically (see :func:`replacing`)."""
    with replacing(target) as tmp:
        with open(tmp, "w", encoding=encoding, newline=newline, errors=errors) as fh:
            yield fh
