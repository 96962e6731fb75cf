"""A Dask client for ``--cluster local:N`` or ``--scheduler tcp://HOST:PORT``."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from geomap.errors import ConfigurationError, quote

if TYPE_CHECKING:
    from distributed import Client

#: The line that says how to get the extra.
INSTALL = 'pip install "geomap[dask]"  (dask, distributed, dask-geopandas)'
_LOCAL = re.compile(r"local:(\d{1,4})")
#: Dask settings of a local cluster's scheduler and workers.  It has no dashboard, so
#: the workers' statistical profiler (a stack sample every 10 ms) and the fast health
#: ticks (every 20 ms) feed nothing, yet each wakes a thread that takes the GIL from
#: the task: together about 5% of the workers' CPU.  The memory monitor still runs,
#: once a second.
LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


def require_dask() -> None:
    """Raise a one-line ConfigurationError naming the install line when dask is missing."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ConfigurationError(
            f"Running on a cluster needs Dask, which is not installed ({exc.name} is missing)."
            f" Fix: {INSTALL}."
        ) from None


def local_workers(cluster: str) -> int:
    """N of ``local:N``; ConfigurationError quoting anything else."""
    match = _LOCAL.fullmatch(cluster.strip())
    if match is None or not 1 <= int(match.group(1)) <= 1024:
        raise ConfigurationError(
            f"--cluster takes local:N (N worker processes, 1 to 1024), instead got:"
            f" {quote(cluster)}. Fix: pass e.g. --cluster local:2, or --scheduler tcp://HOST:8786."
        )
    return int(match.group(1))


def check_target(cluster: str | None, scheduler: str | None) -> None:
    """Exactly one of the two, each well formed (checked before dask is imported)."""
    if cluster is not None and scheduler is not None:
        raise ConfigurationError(
            "--cluster and --scheduler were both given. Fix: pass one of them."
        )
    if cluster is None and scheduler is None:
        raise ConfigurationError(
            "No cluster was named. Fix: pass --cluster local:N or --scheduler tcp://HOST:8786."
        )
    if cluster is not None:
        local_workers(cluster)
    elif scheduler is not None and not re.fullmatch(r"(tcp|tls|inproc|ws|wss)://\S+", scheduler):
        raise ConfigurationError(
            f"--scheduler takes a scheduler address, instead got: {quote(scheduler)}."
            " Fix: pass e.g. tcp://10.0.0.5:8786."
        )


@contextmanager
def open_client(cluster: str | None = None, scheduler: str | None = None) -> Iterator[Client]:
    """A client of a new LocalCluster (``local:N``) or of a running scheduler; closed after."""
    check_target(cluster, scheduler)
    require_dask()
    import dask
    from distributed import Client, LocalCluster

    if cluster is not None:
        with dask.config.set(LOCAL_CONFIG):  # the workers started here take it with them
            local = LocalCluster(
                n_workers=local_workers(cluster), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR,
            )  # fmt: skip
            try:
                with Client(local) as client:
                    yield client
            finally:
                local.close()
        return
    try:
        client = Client(scheduler, timeout="20s")
    except OSError as exc:
        raise ConfigurationError(
            f"Could not reach the Dask scheduler {quote(scheduler)} ({exc})."
            " Fix: start it (dask scheduler) or check the address."
        ) from None
    with client:
        yield client
