"""Main-text extraction on the article-extraction benchmark: Storyline vs plain trafilatura, same run.

Usage::

    .venv/bin/python benchmarks/extraction.py [--data ../shared/data/aeb] [--two-fold]

Prints precision, recall and F1 (the benchmark's own metric, ``storyline.evaluate.aeb``) for our
extractor and for ``trafilatura.extract(html)`` with default settings, on all pages and on each half of
the page ids sorted by id, plus time per page. trafilatura with ``include_comments=False`` (the setting
the benchmark's published figure uses) is shown as a reference. ``--two-fold`` also checks the one
tuned number, ``HtmlConfig.recall_floor``: pick it on one half, measure on the other, and vice versa.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import trafilatura

from storyline.clean.html import HtmlConfig, extract_html
from storyline.evaluate.aeb import AebPage, PageCounts, load_aeb, page_counts, score
from storyline.evaluate.copysets import default_data_dir

DEFAULT_DATA = default_data_dir() / "aeb"
FLOOR_GRID = (0.0, 0.5, 0.7, 0.85, 1.0)

Extractor = Callable[[AebPage], str]


def run(pages: Sequence[AebPage], extractor: Extractor) -> tuple[list[PageCounts], float]:
    """Per-page counts and seconds per page."""
    counts = []
    elapsed = 0.0
    for page in pages:
        start = time.perf_counter()
        text = extractor(page)
        elapsed += time.perf_counter() - start
        counts.append(page_counts(page.gold, text))
    return counts, elapsed / max(1, len(pages))


def ours(config: HtmlConfig) -> Extractor:
    return lambda page: extract_html(page.html, page.url, config).text


def trafilatura_default(page: AebPage) -> str:
    return trafilatura.extract(page.html) or ""


def trafilatura_no_comments(page: AebPage) -> str:
    return trafilatura.extract(page.html, include_comments=False) or ""


def halves(counts: list[PageCounts]) -> tuple[float, float]:
    middle = len(counts) // 2
    return score(counts[:middle]).f1, score(counts[middle:]).f1


def report(name: str, counts: list[PageCounts], seconds: float) -> None:
    total = score(counts)
    first, second = halves(counts)
    print(
        f"{name:<34} P={total.precision:.4f} R={total.recall:.4f} F1={total.f1:.4f}  "
        f"half A F1={first:.4f} half B F1={second:.4f}  {seconds * 1000:6.1f} ms/page"
    )


def two_fold(pages: Sequence[AebPage]) -> None:
    """Pick recall_floor on one half of the ids, measure it on the other."""
    middle = len(pages) // 2
    per_floor = {f: run(pages, ours(replace(HtmlConfig(), recall_floor=f)))[0] for f in FLOOR_GRID}
    parts = {"A": slice(0, middle), "B": slice(middle, len(pages))}
    for floor, counts in per_floor.items():
        print(
            f"recall_floor={floor}: "
            + " ".join(f"{k} F1={score(counts[v]).f1:.4f}" for k, v in parts.items())
        )
    for tune, test in (("A", "B"), ("B", "A")):
        # ties go to the larger floor: it sends more disagreements to the arbiter rather than guessing
        best = max(FLOOR_GRID, key=lambda f: (round(score(per_floor[f][parts[tune]]).f1, 6), f))
        measured = score(per_floor[best][parts[test]]).f1
        print(f"two-fold: recall_floor tuned on half {tune} = {best}; F1 on half {test} = {measured:.4f}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder with html/ and ground-truth.json"
    )
    parser.add_argument("--two-fold", action="store_true", help="also run the 2-fold check of recall_floor")
    args = parser.parse_args(argv)
    pages = list(load_aeb(args.data))
    print(f"{len(pages)} pages from {args.data}; halves: ids sorted, A = first {len(pages) // 2}")
    ours_counts, ours_time = run(pages, ours(HtmlConfig()))
    base_counts, base_time = run(pages, trafilatura_default)
    ref_counts, ref_time = run(pages, trafilatura_no_comments)
    report("storyline extract_html", ours_counts, ours_time)
    report("trafilatura.extract(html)", base_counts, base_time)
    report("trafilatura include_comments=False", ref_counts, ref_time)
    ours_f1, base_f1 = score(ours_counts).f1, score(base_counts).f1
    print(
        f"F1 ours - trafilatura = {ours_f1 - base_f1:+.4f}; ours / trafilatura = {ours_f1 / base_f1:.4f}; "
        f"time ours / trafilatura = {ours_time / base_time:.2f}"
    )
    if args.two_fold:
        two_fold(pages)


if __name__ == "__main__":
    main()
