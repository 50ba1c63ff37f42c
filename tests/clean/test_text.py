"""clean_text: chrome removed with reasons, article sentences kept."""

from __future__ import annotations

import random

import pytest

from storyline.clean.cues import load_line_model
from storyline.clean.headline import find_published, split_site_suffix
from storyline.clean.lines import LineEvidence, observe_lines
from storyline.clean.normalize import normalize
from storyline.clean.text import TextCleanConfig, clean_text

from .conftest import FOOTER, story


def _evidence(*corpora: dict[str, str], site: str = "") -> LineEvidence:
    rows = [
        (o.line, site, o.context, d)
        for docs in corpora
        for d, t in docs.items()
        for o in observe_lines(normalize(t))
    ]
    return LineEvidence.from_rows(rows)


def test_recurring_footer_removed(site_docs: dict[str, str]) -> None:
    evidence = _evidence(site_docs)
    result = clean_text(site_docs["site-museum"], evidence)
    assert FOOTER[0] not in result.text and FOOTER[1] not in result.text
    assert all(s in result.text for s in story("museum"))
    assert any("documents next to different text" in r.reason for r in result.removed)


def test_site_evidence_needs_fewer_documents(site_docs: dict[str, str]) -> None:
    three = dict(list(site_docs.items())[:3])
    doc = three["site-harbour"]
    assert FOOTER[1] in clean_text(doc, _evidence(three)).text  # 3 documents: too few corpus-wide
    cleaned = clean_text(doc, _evidence(three, site="news.example"), site="news.example")
    assert FOOTER[1] not in cleaned.text
    assert any("of this site" in r.reason for r in cleaned.removed)


def test_wire_copies_are_not_boilerplate(wire_docs: dict[str, str], site_docs: dict[str, str]) -> None:
    evidence = _evidence(wire_docs, site_docs)
    result = clean_text(wire_docs["wire-3"], evidence)
    for sentence in story("earthquake"):
        assert sentence in result.text


def test_no_evidence_keeps_plain_article() -> None:
    text = "\n\n".join(["Bridge reopens after repairs", *story("bridge")])
    result = clean_text(text)
    assert result.title == "Bridge reopens after repairs"
    assert result.text == normalize(text)
    assert result.removed == ()


def test_empty_and_config() -> None:
    assert clean_text("").text == ""
    assert clean_text("  \n\n ", config=TextCleanConfig(head_p=0.5)).title is None


# Body paragraphs (after normalize) that must survive verbatim, listed per seed by their first words; the
# test finds each full paragraph in the normalized seed and requires it, whole, among the clean lines.
# Not body: headlines' repeats, site header, comment policy, 000/001's "WATCH | ..." video promo, "Share...".
BODY_STARTS = {
    "000": [
        "A Kremlin adviser says",
        "Meeting comes two months",
        "In this image from video",
        "Yuri Ushakov told",
        "Kim arrived in Russia",
        "The visit is part",
        "After the failed Hanoi",
        '"Kim does not want',
        '"As for Russia',
        "With files from",
    ],
    "002": [
        "Kim Jong Un and Vladimir Putin",
        '"The focus will be',
        "Russian and North Korean flags",
        "He said no joint",
        "he talks follow",
        "Analysts say he",
        "Moscow has called",
        "The US special envoy",
        "The summit will be the first",
        "The Soviet Union installed",
    ],
    "003": [
        "North Korean leader Kim Jong Un reached",
        "A train carrying Kim",
        "He was welcomed",
        "Earlier on Wednesday",
        "Putin and Kim Jong Un will meet",
        "The Kremlin says",
        "Trump and Kim met",
        "The North Korean leader greeted",
        "After tasting",
        '"I arrived in Russia',
        '"I hope that during',
        "What do we know about the summit?",
        "North Korean state media",
        "But Russian and North Korean",
        "The North Korean leader reportedly",
        "He was greeted",
        "What do both sides want?",
        "This visit is being",
        "The country has blamed",
        "Earlier this month",
        "The summit is also",
        "Analysts believe",
        "President Putin has been",
        "Russia, like the US",
        "Senior officials",
        "Putin's foreign policy aide",
        '"Russia intends',
        "Russia has previously",
        "Former North Korean leader",
        "A South Korean foreign",
        "Nuclear activity seems",
    ],
}
BODY_STARTS["001"] = BODY_STARTS["000"]


@pytest.fixture
def seed_results(seeds: dict[str, str]) -> dict[str, tuple[str, object]]:
    evidence = _evidence(seeds)
    return {k: (normalize(t), clean_text(t, evidence)) for k, t in seeds.items()}


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p]


def test_seed_chrome_removed(seed_results: dict[str, tuple[str, object]]) -> None:
    text0 = seed_results["000"][1].text  # type: ignore[attr-defined]
    assert "To encourage thoughtful" not in text0 and "By submitting a comment" not in text0
    r1 = seed_results["001"][1]
    assert "Home WebMail" not in r1.text  # type: ignore[attr-defined]
    assert r1.title == "Kim Jong-un arrives in Russia for Thursday meeting with Vladimir Putin"  # type: ignore[attr-defined]
    r3 = seed_results["003"][1]
    assert "The Financial Express" not in r3.text  # type: ignore[attr-defined]
    assert "Updated: April 25, 2019" not in r3.text  # type: ignore[attr-defined]
    assert "Share if you like" not in r3.text  # type: ignore[attr-defined]
    assert r3.title == "Kim Jong Un in Russia for talks with Putin"  # type: ignore[attr-defined]
    assert r3.published == "2019-04-25T13:44:47"  # type: ignore[attr-defined]
    assert all(r.reason for _, res in seed_results.values() for r in res.removed)  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", ["000", "001", "002", "003"])
def test_seed_body_survives(seed_results: dict[str, tuple[str, object]], seed: str) -> None:
    normal, result = seed_results[seed]
    clean_lines = set(_paragraphs(result.text))  # type: ignore[attr-defined]
    source = _paragraphs(normal)
    for start in BODY_STARTS[seed]:
        matches = [p for p in source if p.startswith(start)]
        assert matches, f"{seed}: no paragraph starts with {start!r}"
        for paragraph in matches:
            assert paragraph in clean_lines, f"{seed}: lost {paragraph[:60]!r}"


def test_seed_cleaning_idempotent_ish(seeds: dict[str, str]) -> None:
    for text in seeds.values():
        once = clean_text(text).text
        assert clean_text(once).text == once or len(clean_text(once).text) >= 0.9 * len(once)


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("| Updated: April 25, 2019 13:44:47", "2019-04-25T13:44:47"),
        ("Published : 3 May 2013", "2013-05-03"),
        ("Posted 2013-05-03 10:15", "2013-05-03T10:15:00"),
        ("The summit was held on April 25, 2019 in Vladivostok after weeks of talks by officials.", None),
    ],
)
def test_find_published(line: str, published: str | None) -> None:
    assert find_published(line) == published


def test_site_suffix_needs_evidence() -> None:
    head = "Storm hits the coast overnight"
    line = head + " - Action News"
    assert split_site_suffix(line, {head}, None)[0] == head
    assert split_site_suffix(line, set(), "actionnews.ca")[1] == " - Action News"
    assert split_site_suffix(line, set(), None) == (line, None)


def test_line_model_scores_are_probabilities() -> None:
    lines = ["Home | News | Sport | Login", "Officials said the plan would be reviewed on Monday morning."]
    probs = load_line_model().chrome_probabilities(lines)
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert probs[0] > probs[1]


def test_wire_story_on_30_sites_kept_and_site_footer_removed() -> None:
    """30 sites repost one wire story with their own long lines; one site puts a footer under 30 articles."""
    rng = random.Random(1)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6)) for _ in range(3000)]

    def sentence(n: int = 14) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n)).capitalize() + "."

    wire = [sentence() for _ in range(10)]
    footer = sentence(20)
    docs = {f"w{s}": (f"site{s}", "\n\n".join([sentence(), *wire, sentence()])) for s in range(30)}
    docs |= {f"a{a}": ("big", "\n\n".join([*(sentence() for _ in range(8)), footer])) for a in range(30)}
    rows = [(o.line, site, o.context, d) for d, (site, t) in docs.items() for o in observe_lines(t)]
    evidence = LineEvidence.from_rows(rows)
    for d, (site, text) in docs.items():
        clean = clean_text(text, evidence, site).text
        if d.startswith("w"):
            assert all(line in clean for line in wire)
        else:
            assert footer not in clean


def test_section_label_between_header_lines_removed() -> None:
    title = "Harbour ferries return after storm repairs"
    body = "\n\n".join(story("harbour"))
    page = f"{title} - Coastal Courier\nHome | News | Sport | Weather | Login | Tuesday, 14 March\nLocal\n"
    page += f"\n{title}\n\n{body}\n"
    result = clean_text(page)
    assert "Local" not in result.text.split("\n")
    assert any(r.text == "Local" and "label" in r.reason for r in result.removed)
    assert all(p in result.text for p in story("harbour"))
