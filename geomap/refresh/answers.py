"""What each cache key the store uses answers now, and what it answered before.

The answer, in order of precedence: a person's pin
(:meth:`GeocodeCache.find_pin`, the same rule the geocoder applies); the
cached entry re-derived from the current gazetteer when it came from the
gazetteer; the cached entry as it is when it came from elsewhere (an online
service, a colleague's import).  Offline, nothing touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geomap.geo import geodesic_km
from geomap.geocoding import CacheEntry
from geomap.refresh.report import EntryChange, RefreshReport

if TYPE_CHECKING:
    from geomap.workspace import Workspace


def parse_key(key: str) -> tuple[str, dict[str, Any]]:
    """``"rastan|cc=SY|a1=11"`` -> ("rastan", {"country": "SY", "admin1": "11"})."""
    name, *parts = key.split("|")
    hints: dict[str, Any] = {}
    for part in parts:
        tag, _, value = part.partition("=")
        if tag == "cc":
            hints["country"] = value
        elif tag == "a1":
            hints["admin1"] = value
        elif tag == "near":
            try:
                lat, lon = (float(v) for v in value.split(","))
                hints["bias"] = (lat, lon)
            except ValueError:
                pass
    return name, hints


@dataclass(frozen=True, slots=True)
class Answer:
    """What a cache key resolves to now (or resolved to when a row was placed)."""

    key: str
    latitude: float
    longitude: float
    geonameid: int | None = None
    provider: str = "gazetteer"
    pinned: bool = False
    feature: str = ""  # "city", "admin1", "country", "" when unknown (pins, online)
    country: str = ""
    admin1: str = ""

    @classmethod
    def from_entry(cls, key: str, entry: CacheEntry) -> Answer | None:
        if not entry.found or entry.latitude is None or entry.longitude is None:
            return None
        raw = entry.raw or {}
        return cls(
            key=key, latitude=float(entry.latitude), longitude=float(entry.longitude),
            geonameid=entry.geonameid, provider="pin" if entry.pinned else entry.provider,
            pinned=entry.pinned, feature=str(raw.get("feature") or ""),
            country=str(raw.get("country") or ""), admin1=str(raw.get("admin1") or ""),
        )  # fmt: skip


#: What each cache key answers (None: nothing, the rows stay where they are).
AnswerMap = dict[str, Answer | None]


def _show(entry: CacheEntry | None) -> str:
    if entry is None:
        return "absent"
    if not entry.found:
        return f"not found via {entry.provider}"
    point = f"({entry.latitude:.5f}, {entry.longitude:.5f})"
    return f"{entry.geonameid or '-'} {point} via {entry.provider}"


class KeyResolver:
    """Re-resolves cache keys through the workspace's cache and geocoder."""

    def __init__(
        self, workspace: Workspace, *, offline: bool, online: str | None, report: RefreshReport
    ) -> None:
        self.workspace = workspace
        self.cache = workspace.cache
        self.offline = offline
        self.online = online
        self.report = report

    def answers(self, keys: list[str]) -> tuple[AnswerMap, AnswerMap, list[CacheEntry]]:
        """(old answers, new answers, cache entries to write) per key."""
        old: AnswerMap = {}
        new: AnswerMap = {}
        writes: list[CacheEntry] = []
        for key in keys:
            name, hints = parse_key(key)
            entry = self.cache.get(key)
            query = entry.query if entry is not None else name
            pinned = entry is not None and entry.pinned
            gazetteer_entry = None  # what the gazetteer says for this key, pins aside
            if entry is None or pinned or self._rederive(entry):
                gazetteer_entry = self._fresh(key, query, hints)
            if entry is None or pinned:
                # nothing cached under this key, or a pin replaced it: the
                # gazetteer tells what lies underneath (written only when absent)
                fresh = gazetteer_entry
                old[key] = Answer.from_entry(key, fresh) if fresh is not None else None
                if entry is None and fresh is not None:
                    writes.append(fresh)
                    change = EntryChange(key, query, "absent", _show(fresh))
                    self.report.entry_changes.append(change)
            else:
                old[key] = Answer.from_entry(key, entry)
                fresh = entry
                if (
                    gazetteer_entry is not None
                    and not gazetteer_entry.same_answer(entry)
                    # offline cannot check an online answer: it is kept
                    and not (
                        not gazetteer_entry.found
                        and entry.found
                        and entry.provider.startswith("online:")
                    )
                ):
                    fresh = gazetteer_entry
                    fresh.created = entry.created
                    writes.append(fresh)
                    self.report.entry_changes.append(
                        EntryChange(key, query, _show(entry), _show(fresh)))  # fmt: skip
            underneath = Answer.from_entry(key, fresh) if fresh is not None else None
            pin = self.cache.find_pin(query, country=hints.get("country"))
            if pin is not None:
                answer = Answer.from_entry(key, pin)
                # a pin over the gazetteer is what pins are for; over an answer a
                # colleague or an online service gave, it is a conflict worth listing
                if (
                    underneath is not None
                    and answer is not None
                    and (underneath.provider != "gazetteer")
                    and geodesic_km(
                        answer.latitude, answer.longitude, underneath.latitude, underneath.longitude
                    )
                    > 1.0
                ):
                    self.report.conflicts.append(
                        f"{key}: the pin ({answer.latitude:.5f}, {answer.longitude:.5f}) wins over "
                        f"the cached {underneath.provider} answer ({underneath.latitude:.5f}, "
                        f"{underneath.longitude:.5f}); unpin it to use the cached one"
                    )
            else:
                answer = underneath
            if answer is None:
                self.report.not_found.append(
                    f"{key}: no answer (not in the cache, pins or gazetteer); rows left in place"
                )
            new[key] = answer
        return old, new, writes

    def _fresh(self, key: str, query: str, hints: dict[str, Any]) -> CacheEntry | None:
        try:
            return self.workspace.geocoder.fresh_entry(
                query, country=hints.get("country"), admin1=hints.get("admin1"),
                bias=hints.get("bias"), pins=False,
            )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - one bad name must not stop the batch
            self.report.skipped.append(f"{key}: could not be re-resolved ({exc})")
            return None

    def _rederive(self, entry: CacheEntry) -> bool:
        # offline, only gazetteer answers can be re-derived; answers an online
        # service or a colleague's import gave are taken from the cache as they are
        if entry.provider == "gazetteer":
            return True
        return not self.offline and self.online is not None
