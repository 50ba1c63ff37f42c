"""Repost and scraping noise for synthetic copy-detection checks (deterministic given the rng)."""

from __future__ import annotations

import random
import re

BOILERPLATE = [
    "Home | News | Sport | Weather | Sign in | Subscribe to our newsletter for the latest news.",
    "We use cookies to improve your experience. By continuing to browse you agree to our cookie policy.",
    "Comments are moderated. Please keep it civil and on topic. Read our community guidelines first.",
    "Share this article: Facebook Twitter Email Print. Related stories: more from this section.",
]


def glue_words(text: str, rng: random.Random, rate: float = 0.03) -> str:
    def glue(m: re.Match[str]) -> str:
        return m.group(1) + m.group(2) if rng.random() < rate else m.group(0)

    return re.sub(r"(\w) (\w)", glue, text)


def typos(text: str, rng: random.Random, rate: float = 0.005) -> str:
    chars = list(text)
    for i, c in enumerate(chars):
        if c.isalpha() and rng.random() < rate:
            chars[i] = rng.choice("aeinorstlcu1")
    return "".join(chars)


def hard_wrap(text: str, rng: random.Random, width: int = 60) -> str:
    out, col = [], 0
    for word in text.split(" "):
        if col + len(word) > width:
            if len(word) > 6 and rng.random() < 0.3:
                cut = len(word) // 2
                out.append(word[:cut] + "-\n" + word[cut:])
                col = len(word) - cut
                continue
            out.append("\n" + word)
            col = len(word)
        else:
            out.append(word)
            col += len(word) + 1
    return " ".join(out).replace(" \n", "\n")


def curly(text: str) -> str:
    text = re.sub(r'"(\w)', "\u201c\\1", text).replace('"', "\u201d").replace("'", "\u2019")
    return text.replace(" - ", " \u2014 ").replace("&", "&amp;")


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|(?<=[.!?])\s+(?=[A-Z])", text) if p.strip()]


def drop_paragraph(text: str, rng: random.Random) -> str:
    parts = paragraphs(text)
    if len(parts) > 3:
        parts.pop(rng.randrange(1, len(parts)))
    return "\n\n".join(parts)


def abridge(text: str, keep: float = 0.6) -> str:
    parts = paragraphs(text)
    return "\n\n".join(parts[: max(1, round(len(parts) * keep))])


def noisy_copy(text: str, rng: random.Random) -> str:
    """One repost of ``text`` with a random mix of the noise reposting and scraping cause."""
    out = text
    if rng.random() < 0.3:
        out = abridge(out, rng.uniform(0.5, 0.8))
    elif rng.random() < 0.4:
        out = drop_paragraph(out, rng)
    if rng.random() < 0.3:
        out += "\n\nUpdated: officials said more details would be released later this week."
    lines = out.split("\n", 1)
    if rng.random() < 0.5 and len(lines) == 2:
        out = "Breaking: " + lines[0].upper() + "\n" + lines[1]
    if rng.random() < 0.5:
        out = "LONDON (Reuters) \u2014 " + out
    out = glue_words(out, rng, rng.uniform(0.0, 0.05))
    out = typos(out, rng, rng.uniform(0.0, 0.01))
    if rng.random() < 0.5:
        out = hard_wrap(out, rng)
    if rng.random() < 0.5:
        out = curly(out)
    if rng.random() < 0.7:
        out = rng.choice(BOILERPLATE) + "\n" + out + "\n" + rng.choice(BOILERPLATE)
    return out
