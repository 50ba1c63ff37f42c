"""Fit the per-line chrome model shipped as ``line_model.json`` (a development tool, not used at run time).

Each page of the article-extraction benchmark is flattened to lines the way a scraper flattens a page
(one line per block element, the ``<title>`` first), every line is labelled *content* when most of its
4-token shingles (or, for lines under four tokens, its whole token run) occur in the gold article body,
and *chrome* otherwise. A logistic regression over `storyline.clean.cues.line_features` is fitted on 80%
of the pages (split by page id, so no page leaks) and its precision/recall for *chrome* on the other 20%
is printed. scikit-learn is a development dependency only::

    python -m storyline.clean.line_model_train /path/to/aeb [out.json]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any

from storyline.clean.cues import HASH_BUCKETS, document_features
from storyline.clean.normalize import normalize

__all__ = ["flatten_html", "label_lines", "main"]

_BLOCK = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "td",
        "th",
        "tr",
        "table",
        "br",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "blockquote",
        "figcaption",
        "figure",
        "dd",
        "dt",
        "dl",
        "pre",
        "form",
        "title",
        "address",
        "option",
        "label",
        "button",
        "hr",
    ]
)
_DROP = frozenset(["script", "style", "noscript", "template", "svg", "iframe", "select", "head"])
_TOKEN = re.compile(r"\w+")


def flatten_html(html: str) -> list[str]:
    """Return the non-blank lines of `html` flattened one block element per line, title first."""
    import lxml.html

    root = lxml.html.fromstring(html)
    title = root.findtext(".//title") or ""
    parts: list[str] = [title, "\n"]
    _walk(root, parts)
    text = normalize("".join(parts))
    return [line for line in text.split("\n") if line.strip()]


def _walk(node: Any, parts: list[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in _DROP or not tag:
        if node.tail:
            parts.append(node.tail)
        return
    block = tag in _BLOCK
    if block:
        parts.append("\n")
    if node.text:
        parts.append(node.text)
    for child in node:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if node.tail:
        parts.append(node.tail)


def label_lines(lines: list[str], gold: str) -> list[int]:
    """Label each line 1 (chrome) or 0 (content) by its overlap with the gold body."""
    gold_tokens = [t.lower() for t in _TOKEN.findall(normalize(gold))]
    shingles = {tuple(gold_tokens[i : i + 4]) for i in range(len(gold_tokens) - 3)}
    joined = " " + " ".join(gold_tokens) + " "
    labels = []
    for line in lines:
        tokens = [t.lower() for t in _TOKEN.findall(line)]
        if len(tokens) >= 4:
            grams = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
            content = sum(g in shingles for g in grams) >= 0.5 * len(grams)
        else:
            content = bool(tokens) and (" " + " ".join(tokens) + " ") in joined
        labels.append(0 if content else 1)
    return labels


def _dataset(aeb: Path) -> tuple[list[tuple[dict[str, float], list[int]]], list[int], list[bool]]:
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    rows, labels, held_out = [], [], []
    for page_id, item in sorted(truth.items()):
        path = aeb / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            lines = flatten_html(fh.read())
        rows.extend(document_features(lines))
        labels.extend(label_lines(lines, item["articleBody"]))
        held_out.extend([int(page_id[:2], 16) % 5 == 0] * len(lines))
    return rows, labels, held_out


def main(argv: list[str] | None = None) -> None:
    """Train, print held-out precision/recall for chrome, and write the weights JSON."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    args = sys.argv[1:] if argv is None else argv
    aeb = Path(args[0])
    out = Path(args[1]) if len(args) > 1 else Path(__file__).with_name("line_model.json")
    rows, labels, held_out = _dataset(aeb)
    names = sorted({name for dense, _ in rows for name in dense})
    col = {name: HASH_BUCKETS + i for i, name in enumerate(names)}
    data, indices, indptr = [], [], [0]
    for dense, hashed in rows:
        for bucket in sorted(set(hashed)):
            data.append(1.0)
            indices.append(bucket)
        for name, value in dense.items():
            data.append(value)
            indices.append(col[name])
        indptr.append(len(data))
    x = csr_matrix((data, indices, indptr), shape=(len(rows), HASH_BUCKETS + len(names)))
    y = np.array(labels)
    test = np.array(held_out)
    model = LogisticRegression(C=0.5, max_iter=3000, class_weight="balanced")
    model.fit(x[~test], y[~test])
    prob = model.predict_proba(x[test])[:, 1]
    print(f"lines: train {int((~test).sum())}, held out {int(test.sum())}, chrome share {y.mean():.3f}")
    for threshold in (0.5, 0.8, 0.9, 0.95):
        pred = prob >= threshold
        tp = int((pred & (y[test] == 1)).sum())
        precision = tp / max(int(pred.sum()), 1)
        recall = tp / max(int((y[test] == 1).sum()), 1)
        lost = int((pred & (y[test] == 0)).sum()) / max(int((y[test] == 0).sum()), 1)
        print(
            f"held-out chrome @p>={threshold}: precision {precision:.3f} recall {recall:.3f}"
            f" (content lines lost {lost:.3f})"
        )
    model.fit(x, y)
    weights = model.coef_[0]
    payload = {
        "about": "chrome-vs-content line model; see storyline.clean.line_model_train",
        "bias": round(float(model.intercept_[0]), 4),
        "dense": {name: round(float(weights[col[name]]), 4) for name in names},
        "hashed": {
            str(b): round(float(w), 3) for b, w in enumerate(weights[:HASH_BUCKETS]) if abs(w) >= 0.05
        },
    }
    out.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
