"""The gazetteer build's progress on stderr: its stages, a bar and the time left.

The time left is measured on the machine that builds, never promised: each
stage has a share of the whole build (:data:`STAGES`, measured on a 2-core
machine), and once the first stage is done the time it took, divided by its
share, gives the whole build's time there.  Until then the display says the
time is being measured.  On a terminal one line is redrawn (every second, also
during the stages that report nothing); otherwise, when asked for, each stage
gets one line.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

#: The build's stages and their measured shares of its time.
STAGES: tuple[tuple[str, float], ...] = (
    ("reading the GeoNames cities", 0.10),
    ("indexing places and names", 0.74),
    ("countries, regions, districts, continents", 0.06),
    ("listing the name keys", 0.11),
    ("compacting the file", 0.01),
)
BAR_WIDTH = 20
REDRAW_SECONDS = 1.0
#: Off a terminal, a long stage prints a line this often.
LINE_SECONDS = 30.0


def clock(seconds: float) -> str:
    """``75.2`` -> ``"1:15"``."""
    whole = max(0, int(round(seconds)))
    return f"{whole // 60}:{whole % 60:02d}"


class BuildProgress:
    """Draws the build's progress on ``stream`` (nothing when it is None)."""

    def __init__(self, stream: TextIO | None, *, bar: bool) -> None:
        self.stream = stream
        self.bar = bar and stream is not None
        self.started = time.perf_counter()
        self.index = -1  # the current stage
        self.stage_started = self.started
        self.items = self.done = 0
        self.expected_total: float | None = None  # the whole build's seconds, once measured
        self._lock = threading.Lock()
        self._last_draw = 0.0
        self._width = 0
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    @classmethod
    def to_stderr(cls, show: bool) -> BuildProgress:
        """A bar on a terminal, one line per stage elsewhere, nothing unless ``show``."""
        stream = sys.stderr if show else None
        return cls(stream, bar=bool(stream is not None and stream.isatty()))

    # -- what the build reports ---------------------------------------------------

    def begin(self, where: str) -> None:
        self._write(f"geomap: building the offline gazetteer at {where} (once)\n")
        if self.bar:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def stage(self, index: int, items: int = 0) -> None:
        """Stage ``index`` of :data:`STAGES` starts; ``items`` is its count, if known."""
        now = time.perf_counter()
        with self._lock:
            self.index, self.stage_started, self.items, self.done = index, now, items, 0
            done = self.fraction(now)
            if index > 0 and done > 0:
                self.expected_total = (now - self.started) / done
        if self.bar:
            self._draw()
        else:
            self._last_draw = now
            name = STAGES[index][0] + (f" ({items:,})" if items else "")
            self._write(f"  {index + 1}/{len(STAGES)} {name}  [{self.timing(now)}]\n")

    def advance(self, done: int) -> None:
        """``done`` of the current stage's items are done."""
        self.done = done
        now = time.perf_counter()
        if self.bar and now - self._last_draw >= 0.2:
            self._draw()
        elif not self.bar and now - self._last_draw >= LINE_SECONDS:
            self._last_draw = now
            self._write(f"      {done:,} of {self.items:,}  [{self.timing(now)}]\n")

    def end(self, message: str) -> None:
        """Stop drawing and print ``message`` (with the time taken) on its own line."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.bar:
            self._write("\r" + " " * self._width + "\r")
        self._write(f"geomap: {message} ({clock(time.perf_counter() - self.started)})\n")

    # -- figures ------------------------------------------------------------------

    def fraction(self, now: float) -> float:
        """The share of the build done: finished stages plus the current one's part."""
        if self.index < 0:
            return 0.0
        before = sum(share for _, share in STAGES[: self.index])
        share = STAGES[self.index][1]
        if self.items:
            part = min(1.0, self.done / self.items)
        elif self.expected_total:  # a stage that reports nothing: by its expected time
            part = min(0.95, (now - self.stage_started) / (share * self.expected_total))
        else:
            part = 0.0
        return before + share * part

    def timing(self, now: float) -> str:
        elapsed = now - self.started
        done = self.fraction(now)
        if self.expected_total is None or done <= 0:
            return f"{clock(elapsed)} elapsed, measuring the time left"
        left = max(0.0, elapsed / done - elapsed)
        return f"{clock(elapsed)} elapsed, about {clock(left)} left"

    # -- drawing ------------------------------------------------------------------

    def _line(self, now: float) -> str:
        done = self.fraction(now)
        filled = int(done * BAR_WIDTH)
        name = STAGES[self.index][0] if self.index >= 0 else "starting"
        count = f" {self.done:,}/{self.items:,}" if self.items else ""
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        return f"[{bar}] {done:4.0%} {name}{count}  {self.timing(now)}"

    def _draw(self) -> None:
        with self._lock:
            now = time.perf_counter()
            self._last_draw = now
            line = self._line(now)
            pad = " " * max(0, self._width - len(line))
            self._width = len(line)
            self._write("\r" + line + pad)

    def _tick(self) -> None:
        while not self._stop.wait(REDRAW_SECONDS):
            self._draw()

    def _write(self, text: str) -> None:
        if self.stream is None:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken stderr must not stop the build
            self.stream = None
