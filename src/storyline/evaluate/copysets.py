"""Labelled sets for measuring copy detection, built from the shared real-news data.

Three sets, each deterministic given a seed:

- `exact_duplicate_set`: BBC and Reuters articles whose text (headline and body) is identical after
  whitespace normalisation form the gold groups; everything else is a singleton. Reuters items whose
  body recurs under a different headline are left out as ambiguous (see `_unambiguous_reuters`).
- `noisy_set`: real originals with 1-6 synthetic noisy reposts each (see `noise`), plus singletons.
- `hard_negative_set`: what must NOT be grouped - ECB+ articles written independently about the same
  event, unrelated articles that share only an inserted quote, press-release blurb or template
  sentence, and unrelated articles wrapped in the same site's chrome. A share of them get noisy
  reposts so that recall is measurable on the same set.
- `seed_set`: the four real seed articles (one real scraped repost pair).
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from storyline.evaluate._templates import shared_insert
from storyline.evaluate.noise import NoiseConfig, add_boilerplate, make_repost

__all__ = [
    "CopySet",
    "default_data_dir",
    "exact_duplicate_set",
    "hard_negative_set",
    "load_bbc",
    "load_ecbplus",
    "load_reuters",
    "noisy_set",
    "seed_set",
]


@dataclass(frozen=True, slots=True)
class CopySet:
    """Items with gold copy-group labels; `kinds` says what each item is (e.g. "repost:abridge+hard_wrap")."""

    name: str
    ids: tuple[str, ...]
    texts: tuple[str, ...]
    labels: tuple[int, ...]
    kinds: tuple[str, ...]

    def __iter__(self) -> Iterator[Any]:
        """Unpack as ``ids, texts, labels = copy_set``."""
        return iter((self.ids, self.texts, self.labels))

    def summary(self) -> dict[str, int]:
        """Counts a report needs: items, gold groups of 2+, items in them, singletons, gold pairs."""
        sizes: dict[int, int] = defaultdict(int)
        for label in self.labels:
            sizes[label] += 1
        groups = [n for n in sizes.values() if n > 1]
        return {
            "items": len(self.labels),
            "groups": len(groups),
            "grouped_items": sum(groups),
            "singletons": sum(1 for n in sizes.values() if n == 1),
            "gold_pairs": sum(n * (n - 1) // 2 for n in groups),
        }


def default_data_dir() -> Path:
    """`$STORYLINE_DATA`, else the shared data folder beside a source checkout."""
    env = os.environ.get("STORYLINE_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[4] / "shared" / "data"


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _normalise(text: str) -> str:
    return " ".join(text.split())


@functools.cache
def _bbc(data_dir: Path) -> tuple[tuple[str, str], ...]:
    path = data_dir / "bbc" / "bbc.jsonl.gz"
    return tuple((f"bbc/{row['id']}", row["text"].strip()) for row in _read_jsonl(path))


def load_bbc(data_dir: Path) -> list[tuple[str, str]]:
    """(id, text) for every BBC article; the text's first line is the headline."""
    return list(_bbc(data_dir))


def _reuters_paragraphs(body: str) -> list[str]:
    """Undo the 1987 feed layout: paragraphs start with a tab marker or an indent; lines are hard-wrapped."""
    marked = re.sub(r"\n(?:&\\t|\s{3,})", "\n\n", body)
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", marked) if p.strip()]


@functools.cache
def _reuters(data_dir: Path) -> tuple[tuple[str, str, str], ...]:
    out = []
    for row in _read_jsonl(data_dir / "reuters21578" / "reuters21578.jsonl.gz"):
        body = row.get("body") or ""
        if not body.strip():
            continue
        title = (row.get("title") or "").strip()
        text = "\n\n".join([title, *_reuters_paragraphs(body)] if title else _reuters_paragraphs(body))
        out.append((f"reuters/{row['newid']}", text, body))
    return tuple(out)


def load_reuters(data_dir: Path) -> list[tuple[str, str, str]]:
    """(id, text, body) for Reuters items with a body; text is headline + unwrapped paragraphs."""
    return list(_reuters(data_dir))


def load_ecbplus(data_dir: Path) -> list[tuple[str, str, str]]:
    """(id, event, text) for every ECB+ dev article."""
    path = data_dir / "ecbplus" / "ecbplus-dev.jsonl.gz"
    return [(f"ecbplus/{row['id']}", row["event"], row["text"]) for row in _read_jsonl(path)]


def seed_set(data_dir: Path | None = None) -> CopySet:
    """The four seed articles as scraped: 000 and 001 are one CBC/AP article, 002 and 003 independent."""
    folder = (data_dir or default_data_dir()) / "seeds"
    paths = sorted(folder.glob("*.txt"))
    labels = {"000": 0, "001": 0, "002": 1, "003": 2}
    return CopySet(
        "seeds",
        tuple(f"seeds/{p.stem}" for p in paths),
        tuple(p.read_text(encoding="utf-8") for p in paths),
        tuple(labels[p.stem[:3]] for p in paths),
        tuple("real" for _ in paths),
    )


def _shuffled(name: str, items: list[tuple[str, str, int, str]], rng: random.Random) -> CopySet:
    rng.shuffle(items)
    ids, texts, labels, kinds = zip(*items, strict=True) if items else ((), (), (), ())
    return CopySet(name, tuple(ids), tuple(texts), tuple(labels), tuple(kinds))


def _unambiguous_reuters(rows: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Reuters (id, text) minus items whose body recurs under a different headline.

    A recurring body under another headline is sometimes a re-headlined copy ("(RPT) ...") and
    sometimes a different report that the headline alone identifies ("Qtly div five cts vs five cts
    prior" for two companies; the same hog prices at two markets). Without labels neither reading is
    safe, so those items are left out of the exact set.
    """
    texts_per_body: dict[str, set[str]] = defaultdict(set)
    for _, text, body in rows:
        texts_per_body[_normalise(body)].add(_normalise(text))
    return [(i, t) for i, t, b in rows if len(texts_per_body[_normalise(b)]) == 1]


def exact_duplicate_set(data_dir: Path | None = None, seed: int = 0, size: int | None = None) -> CopySet:
    """BBC and Reuters items labelled by identical text after whitespace normalisation.

    `size` caps the item count by dropping singletons at random (every duplicate group is kept).
    """
    data_dir = data_dir or default_data_dir()
    docs = load_bbc(data_dir) + _unambiguous_reuters(load_reuters(data_dir))
    label_of: dict[str, int] = {}
    labels = [label_of.setdefault(_normalise(t), len(label_of)) for _, t in docs]
    counts = Counter(labels)
    items = [
        (i, t, lab, "duplicate" if counts[lab] > 1 else "singleton")
        for (i, t), lab in zip(docs, labels, strict=True)
    ]
    rng = random.Random(seed)
    if size is not None and size < len(items):
        dups = [it for it in items if it[3] == "duplicate"]
        singles = [it for it in items if it[3] == "singleton"]
        items = dups + rng.sample(singles, max(0, size - len(dups)))
    return _shuffled("exact", items, rng)


@functools.cache
def _original_pool(data_dir: Path, min_words: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """BBC and Reuters texts with at least `min_words` words, one per exact-duplicate group, in id order.

    Cached (data is read-only); callers only sample from the lists, never change them.
    """
    seen: set[str] = set()
    pools: tuple[list[tuple[str, str]], list[tuple[str, str]]] = ([], [])
    sources = (load_bbc(data_dir), [(i, t) for i, t, _ in load_reuters(data_dir)])
    for pool, rows in zip(pools, sources, strict=True):
        for doc_id, text in sorted(rows):
            key = _normalise(text.split("\n", 1)[-1])
            if key in seen or len(key.split()) < min_words:
                continue
            seen.add(key)
            pool.append((doc_id, text))
    return pools


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(max(1, len(words) - 4))}


def _drop_near_duplicates(docs: list[tuple[str, str]], max_containment: float) -> list[tuple[str, str]]:
    """Keep docs in order, skipping any that shares `max_containment` of its 5-grams with one kept before.

    Reuters holds corrected and repeated stories whose bodies differ by a word; sampled together they
    would be true copies labelled apart, and every detector would be charged for finding them.
    """
    owners: dict[tuple[str, ...], list[int]] = defaultdict(list)
    kept: list[tuple[str, str]] = []
    for doc in docs:
        grams = _shingles(doc[1])
        overlap: dict[int, int] = defaultdict(int)
        for gram in grams:
            for owner in owners.get(gram, ()):
                overlap[owner] += 1
        if overlap and max(overlap.values()) >= max_containment * len(grams):
            continue
        for gram in grams:
            owners[gram].append(len(kept))
        kept.append(doc)
    return kept


def _sample_originals(data_dir: Path, n: int, rng: random.Random, min_words: int) -> list[tuple[str, str]]:
    """`n` mutually distinct originals, half BBC and half Reuters, so both house styles are present."""
    bbc, reuters = _original_pool(data_dir, min_words)
    n_bbc = min(len(bbc), (n + 1) // 2)
    extra = n // 10 + 5
    docs = _drop_near_duplicates(rng.sample(bbc, min(len(bbc), n_bbc + extra)), 0.2)[:n_bbc]
    more = rng.sample(reuters, min(len(reuters), n - len(docs) + extra))
    return _drop_near_duplicates(docs + more, 0.2)[:n]


def _with_reposts(
    doc: tuple[str, str, str], label: int, n_reposts: int, rng: random.Random, config: NoiseConfig | None
) -> list[tuple[str, str, int, str]]:
    """The document `doc` = (id, text, kind) and `n_reposts` noisy reposts of it, all under `label`."""
    doc_id, text, kind = doc
    items = [(doc_id, text, label, kind)]
    for k in range(n_reposts):
        repost = make_repost(text, rng, config)
        items.append((f"{doc_id}#repost{k + 1}", repost.text, label, "repost:" + "+".join(repost.noises)))
    return items


def noisy_set(
    data_dir: Path | None = None,
    seed: int = 0,
    originals: int = 400,
    singletons: int = 400,
    max_reposts: int = 6,
    config: NoiseConfig | None = None,
    min_words: int = 60,
) -> CopySet:
    """`originals` real articles with 1..`max_reposts` noisy reposts each, plus `singletons` lone ones."""
    rng = random.Random(seed)
    docs = _sample_originals(data_dir or default_data_dir(), originals + singletons, rng, min_words)
    rng.shuffle(docs)
    items: list[tuple[str, str, int, str]] = []
    for label, (doc_id, text) in enumerate(docs):
        if label < originals:
            items += _with_reposts(
                (doc_id, text, "original"), label, rng.randint(1, max_reposts), rng, config
            )
        else:
            items.append((doc_id, text, label, "singleton"))
    return _shuffled("noisy", items, rng)


def _independent_ecb(docs: list[tuple[str, str, str]], max_containment: float) -> list[tuple[str, str, str]]:
    """Drop ECB+ articles that share text with another of their topic, keeping one of each linked set.

    ECB+ holds some wire copies (word 5-gram containment up to 1.0), which are not independent
    reporting; linked articles form components, and only the first of each (by id) is kept.
    """
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, (_, event, _) in enumerate(docs):
        by_topic[event.split("_")[0]].append(i)
    shingles = [_shingles(text) for _, _, text in docs]
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for members in by_topic.values():
        for a, b in combinations(members, 2):
            shared = len(shingles[a] & shingles[b])
            if shared / max(1, min(len(shingles[a]), len(shingles[b]))) >= max_containment:
                parent[max(find(a), find(b))] = min(find(a), find(b))
    return [doc for i, doc in enumerate(docs) if find(i) == i]


def _insert_sentences(text: str, sentences: list[str], rng: random.Random) -> str:
    paragraphs = text.split("\n\n")
    at = rng.randrange(1, len(paragraphs) + 1) if len(paragraphs) > 1 else len(paragraphs)
    paragraphs.insert(at, " ".join(sentences))
    return "\n\n".join(paragraphs)


def _insert_bases(pool: list[tuple[str, str]], rng: random.Random) -> list[tuple[str, str, str]]:
    """Consecutive pool articles in pairs, each pair carrying the same inserted sentences."""
    bases = []
    for k in range(len(pool) // 2):
        sentences = shared_insert(rng)
        for doc_id, text in pool[2 * k : 2 * k + 2]:
            bases.append((f"{doc_id}+insert{k}", _insert_sentences(text, sentences, rng), f"insert:{k}"))
    return bases


def _same_site_bases(
    pool: list[tuple[str, str]], per_site: int, rng: random.Random, config: NoiseConfig
) -> list[tuple[str, str, str]]:
    """Pool articles in runs of `per_site`, each run wrapped in one site's identical header and footer."""
    bases = []
    for k in range(len(pool) // per_site):
        chrome_seed = rng.getrandbits(64)
        for doc_id, text in pool[per_site * k : per_site * (k + 1)]:
            wrapped = add_boilerplate(text, random.Random(chrome_seed), config)
            bases.append((f"{doc_id}+site{k}", wrapped, f"site:{k}"))
    return bases


def hard_negative_set(
    data_dir: Path | None = None,
    seed: int = 0,
    insert_pairs: int = 200,
    sites: int = 50,
    per_site: int = 3,
    repost_share: float = 0.25,
    max_containment: float = 0.1,
    min_words: int = 80,
    config: NoiseConfig | None = None,
) -> CopySet:
    """Articles that must stay apart, each its own gold group.

    Three kinds: ECB+ articles written independently about the same event (`max_containment` drops
    ECB+'s own wire copies); `insert_pairs` pairs of unrelated articles sharing an inserted quote,
    press-release blurb or template sentence; and `sites` runs of `per_site` unrelated articles wrapped
    in the same site's chrome. Pool articles have at least `min_words` words, so an insert or the chrome
    can still be a large share of a short one. A `repost_share` of all of them also get 1-2 noisy
    reposts (same label), so a detector that groups nothing cannot score well.
    """
    data_dir = data_dir or default_data_dir()
    config = config or NoiseConfig()
    rng = random.Random(seed)
    bases: list[tuple[str, str, str]] = [
        (i, t, f"ecb:{event}") for i, event, t in _independent_ecb(load_ecbplus(data_dir), max_containment)
    ]
    n_insert, n_site = 2 * insert_pairs, sites * per_site
    pool = _sample_originals(data_dir, n_insert + n_site, rng, min_words)
    rng.shuffle(pool)
    bases += _insert_bases(pool[:n_insert], rng)
    bases += _same_site_bases(pool[n_insert:], per_site, rng, config)
    items: list[tuple[str, str, int, str]] = []
    for label, base in enumerate(bases):
        n = rng.randint(1, 2) if rng.random() < repost_share else 0
        items += _with_reposts(base, label, n, rng, config)
    return _shuffled("hard_negatives", items, rng)
