"""Accuracy harness: score the geoparser against gold-annotated corpora.

Reads the public corpora the geoparsing literature uses (LGL, TR-News in the
``<toponyms><toponym>`` format; GeoVirus in the ``<locations><location>``
format) from a file or a directory, runs :func:`geomap.text.geoparse` on
each article and scores

* recognition: precision, recall and F1 over exact (start, end) spans, and a
  lenient score where any overlap counts;
* resolution, over the gold toponyms recognised with the exact span and
  carrying gold coordinates: the share within 161 km (Acc@161), the median and
  mean error in km, and the AUC of log(1 + error km) / log(20039) (lower is
  better; Gritta et al. 2018).  A mention the parser abstained on counts with
  the maximum error (20,039 km), so abstaining is never free.

Spans are compared on the place name itself: the parser's mention "northern
Homs countryside" is scored as "Homs", which is how the corpora annotate it.
The corpora are read where they are and never copied.
"""

from __future__ import annotations

import math
import os
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import InputError
from geomap.geo import haversine_km
from geomap.model import Mention
from geomap.text import geoparse, name_index, parse_phrase
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer

MAX_ERROR_KM = 20039.0
ACC_KM = 161.0
CORPUS_SUFFIXES = (".xml",)


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    latitude: float | None
    longitude: float | None
    geonameid: int | None = None


@dataclass(slots=True)
class GoldArticle:
    doc_id: str
    text: str
    toponyms: list[GoldToponym]


@dataclass(slots=True)
class Score:
    """Scores of one corpus (or one run over several)."""

    corpus: str
    articles: int = 0
    gold: int = 0
    predicted: int = 0
    exact_tp: int = 0
    lenient_pred_hits: int = 0
    lenient_gold_hits: int = 0
    resolved_pairs: int = 0  # exact matches with gold coordinates
    abstained: int = 0  # of those, how many the parser left unresolved
    errors_km: list[float] = field(default_factory=list, repr=False)
    #: the same errors split by the feature level of the chosen place ("city", "admin1",
    #: "country", "continent", "region", "none"): shows where representative points cost
    errors_by_feature: dict[str, list[float]] = field(default_factory=dict, repr=False)
    seconds: float = 0.0
    demonyms: bool = False

    @staticmethod
    def _prf(tp_p: int, n_p: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
        p = tp_p / n_p if n_p else 0.0
        r = tp_g / n_g if n_g else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    @property
    def exact(self) -> tuple[float, float, float]:
        return self._prf(self.exact_tp, self.predicted, self.exact_tp, self.gold)

    @property
    def lenient(self) -> tuple[float, float, float]:
        return self._prf(self.lenient_pred_hits, self.predicted, self.lenient_gold_hits, self.gold)

    @property
    def acc161(self) -> float:
        if not self.errors_km:
            return 0.0
        return sum(1 for e in self.errors_km if e <= ACC_KM) / len(self.errors_km)

    @property
    def median_km(self) -> float:
        return statistics.median(self.errors_km) if self.errors_km else 0.0

    @property
    def mean_km(self) -> float:
        return statistics.fmean(self.errors_km) if self.errors_km else 0.0

    @property
    def auc(self) -> float:
        return auc_of_errors(self.errors_km)

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        """The figures as a flat dict (for JSON)."""
        ep, er, ef = self.exact
        lp, lr, lf = self.lenient
        out = {k: v for k, v in asdict(self).items()
               if k not in ("errors_km", "errors_by_feature")}
        out.update(
            precision=round(ep, 4), recall=round(er, 4), f1=round(ef, 4),
            lenient_precision=round(lp, 4), lenient_recall=round(lr, 4), lenient_f1=round(lf, 4),
            acc161=round(self.acc161, 4), median_km=round(self.median_km, 1),
            mean_km=round(self.mean_km, 1), auc=round(self.auc, 4),
            articles_per_second=round(self.articles_per_second, 1),
            acc161_by_feature={
                feature: {"n": len(errs),
                          "acc161": round(sum(e <= ACC_KM for e in errs) / len(errs), 4)}
                for feature, errs in sorted(self.errors_by_feature.items()) if errs
            },
        )
        return out


def auc_of_errors(errors_km: Iterable[float]) -> float:
    """Area under the sorted curve of log(1 + error) / log(20039), in [0, 1]; 0 is perfect."""
    values = sorted(math.log1p(max(0.0, e)) / math.log(MAX_ERROR_KM) for e in errors_km)
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    area = sum((a + b) / 2 for a, b in zip(values, values[1:], strict=False))
    return area / (len(values) - 1)


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _align(text: str, start: int, end: int, phrase: str, slack: int = 10) -> tuple[int, int]:
    """Gold offsets moved onto the phrase they name (GeoVirus counts from 1, TR-News
    drifts by a character here and there)."""
    if not phrase or text[start:end] == phrase:
        return start, end
    best = None
    for pos in range(max(0, start - slack), min(len(text), start + slack) + 1):
        if text.startswith(phrase, pos) and (best is None or abs(pos - start) < abs(best - start)):
            best = pos
    return (best, best + len(phrase)) if best is not None else (start, end)


def read_corpus(path: str | os.PathLike[str], *, limit: int | None = None) -> Iterator[GoldArticle]:
    """Articles of one corpus file (LGL/TR-News or GeoVirus format)."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise InputError(
            f"Cannot read the gold corpus {str(path)!r}: {exc}. Fix: pass an LGL, TR-News or"
            " GeoVirus XML file (see ../shared/eval/README.md)."
        ) from exc
    if root.tag != "articles":
        raise InputError(
            f"Not a gold corpus: {str(path)!r} has root <{root.tag}>, instead of <articles>."
            " Fix: pass an LGL, TR-News or GeoVirus XML file."
        )
    n = 0
    for i, art in enumerate(root.iter("article")):
        if limit is not None and n >= limit:
            return
        text = art.findtext("text") or ""
        doc_id = art.get("docid") or art.findtext("source") or f"{path.stem}-{i}"
        gold: list[GoldToponym] = []
        for top in art.iter("toponym"):
            start, end = int(top.findtext("start") or 0), int(top.findtext("end") or 0)
            start, end = _align(text, start, end, top.findtext("phrase") or "")
            tag = top.find("gaztag")
            gid = tag.get("geonameid") if tag is not None else None
            gold.append(
                GoldToponym(
                    start, end, top.findtext("phrase") or text[start:end],
                    _float(tag.findtext("lat")) if tag is not None else None,
                    _float(tag.findtext("lon")) if tag is not None else None,
                    int(gid) if gid and gid.isdigit() else None,
                )
            )
        for loc in art.iter("location"):
            start, end = int(loc.findtext("start") or 0), int(loc.findtext("end") or 0)
            start, end = _align(text, start, end, loc.findtext("name") or "")
            gold.append(
                GoldToponym(start, end, loc.findtext("name") or text[start:end],
                            _float(loc.findtext("lat")), _float(loc.findtext("lon")))
            )
        n += 1
        yield GoldArticle(str(doc_id).strip(), text, gold)


def corpus_files(path: str | os.PathLike[str]) -> list[Path]:
    """The corpus XML files at ``path`` (a file, or a directory of them)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in CORPUS_SUFFIXES)
        if not files:
            raise InputError(
                f"No corpus XML files in {str(path)!r}. Fix: point at ../shared/eval or at one of"
                " lgl.xml, TR-News.xml, GeoVirus.xml."
            )
        return files
    if not path.is_file():
        raise InputError(f"No such corpus file or directory: {str(path)!r}. Fix: check the path.")
    return [path]


# --------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_article(article: GoldArticle, mentions: list[Mention], score: Score) -> None:
    """Add one article's figures to ``score``."""
    pred: dict[tuple[int, int], Mention] = {}
    for m in mentions:
        phrase = parse_phrase(article.text, m.span_start, m.span_end)
        pred[(phrase.label_start, phrase.label_end)] = m
    gold = {(g.start, g.end): g for g in article.toponyms}
    score.articles += 1
    score.gold += len(gold)
    score.predicted += len(pred)
    score.lenient_pred_hits += sum(1 for p in pred if any(_overlaps(p, g) for g in gold))
    score.lenient_gold_hits += sum(1 for g in gold if any(_overlaps(p, g) for p in pred))
    for span, g in gold.items():
        found = pred.get(span)
        if found is None:
            continue
        m = found
        score.exact_tp += 1
        if g.latitude is None or g.longitude is None:
            continue
        score.resolved_pairs += 1
        feature = m.place.feature if m.place is not None else "region" if m.resolved else "none"
        if m.latitude is None or m.longitude is None:
            score.abstained += 1
            error = MAX_ERROR_KM
        elif m.place is not None and g.geonameid is not None and m.place.geonameid == g.geonameid:
            error = 0.0  # the same GeoNames feature: only the representative points differ
        elif m.place is not None:  # score the place, not a point shifted for "northern X"
            error = haversine_km(m.place.latitude, m.place.longitude, g.latitude, g.longitude)
        else:
            error = haversine_km(m.latitude, m.longitude, g.latitude, g.longitude)
        score.errors_km.append(error)
        score.errors_by_feature.setdefault(feature, []).append(error)


def evaluate_file(
    path: str | os.PathLike[str],
    *,
    gazetteer: Gazetteer,
    demonyms: bool = False,
    limit: int | None = None,
) -> Score:
    """Score the geoparser on one corpus file."""
    articles = list(read_corpus(path, limit=limit))
    return score_corpus(Path(path).stem, articles, gazetteer=gazetteer, demonyms=demonyms)


def score_corpus(
    corpus: str, articles: list[GoldArticle], *, gazetteer: Gazetteer, demonyms: bool = False
) -> Score:
    """Geoparse ``articles`` with ``gazetteer`` and score them, timing the parsing only."""
    name_index(gazetteer)  # build the matcher index before the clock starts
    score = Score(corpus=corpus, demonyms=demonyms)
    for article in articles:
        started = time.perf_counter()
        mentions = geoparse(
            article.text, gazetteer=gazetteer, doc_id=article.doc_id, demonyms=demonyms
        )
        score.seconds += time.perf_counter() - started
        score_article(article, mentions, score)
    return score


def evaluate(
    path: str | os.PathLike[str],
    *,
    gazetteer: Gazetteer | None = None,
    demonyms: bool = False,
    limit: int | None = None,
    workspace: Workspace | None = None,
) -> Scores:
    """Score every corpus at ``path`` (a file or a directory of corpus files).

    The gazetteer is ``gazetteer``, else the workspace's; without a
    ``workspace`` one is made for the default files and closed at the end.
    Each corpus file is read whole before any work, so a bad file fails early.
    """
    files = corpus_files(path)
    ws = workspace if workspace is not None else Workspace(gazetteer=gazetteer)
    try:
        scores = Scores()
        for f in files:
            articles = list(read_corpus(f, limit=limit))
            gaz = gazetteer if gazetteer is not None else ws.gazetteer
            scores.append(score_corpus(f.stem, articles, gazetteer=gaz, demonyms=demonyms))
        return scores
    finally:
        if workspace is None:
            ws.close()


class Scores(list[Score]):
    """The scores of several corpora, printable as a table or JSON-ready summaries."""

    def table(self) -> str:
        """A plain-text table, one corpus a row."""
        return format_table(self)

    def summaries(self) -> list[dict[str, object]]:
        """Each corpus's :meth:`Score.summary`."""
        return [s.summary() for s in self]


def format_table(scores: list[Score]) -> str:
    """A plain-text table of the scores."""
    head = (
        f"{'corpus':<12} {'dem':>3} {'arts':>5} {'gold':>5} {'pred':>5} "
        f"{'P':>5} {'R':>5} {'F1':>5} | {'lenP':>5} {'lenR':>5} {'lenF1':>5} | "
        f"{'n':>5} {'abst':>4} {'Acc161':>6} {'med km':>7} {'mean km':>8} {'AUC':>5} | {'art/s':>6}"
    )
    lines = [head, "-" * len(head)]
    for s in scores:
        ep, er, ef = s.exact
        lp, lr, lf = s.lenient
        lines.append(
            f"{s.corpus:<12} {'on' if s.demonyms else 'off':>3} {s.articles:>5} {s.gold:>5} "
            f"{s.predicted:>5} {ep:>5.3f} {er:>5.3f} {ef:>5.3f} | "
            f"{lp:>5.3f} {lr:>5.3f} {lf:>5.3f} | "
            f"{s.resolved_pairs:>5} {s.abstained:>4} {s.acc161:>6.3f} {s.median_km:>7.1f} "
            f"{s.mean_km:>8.1f} {s.auc:>5.3f} | {s.articles_per_second:>6.0f}"
        )
    return "\n".join(lines)
