"""A synthetic news corpus with copies and stories, for the service's tests (no shared data needed).

Each event has names, a place and figures of its own; it is reported by a few independent articles
(different sentences about the same particulars), and some of those are reposted with scraping noise
(`make_repost`), so a corpus has copy groups within stories and stories next to each other.
"""

from __future__ import annotations

import html
import random
from typing import Any

from storyline.evaluate.noise import make_repost

_FIRST = (
    "Anna",
    "Boris",
    "Carla",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hamid",
    "Ines",
    "Jonas",
    "Kira",
    "Luca",
    "Mona",
    "Nils",
    "Olga",
    "Pavel",
)
_LAST = (
    "Okafor",
    "Lindqvist",
    "Raman",
    "Kell",
    "Moreau",
    "Tanaka",
    "Novak",
    "Silva",
    "Weber",
    "Haddad",
    "Costa",
    "Berg",
    "Ivanova",
    "Duarte",
)
_PLACES = (
    "Port Alden",
    "Harbour Island",
    "Northgate",
    "Eastwick",
    "Lowmoor",
    "Kestrel Bay",
    "Ashford",
    "Millbrook",
)
_TOPICS = [
    ("ferry", "ferry service resumed after the storm damaged the pier", "passengers crossed"),
    ("budget", "the council approved the library budget after a long debate", "councillors voted"),
    ("fire", "firefighters contained a warehouse fire near the docks", "crews worked overnight"),
    ("strike", "rail workers began a strike over pay and working hours", "trains were cancelled"),
    ("flood", "the river burst its banks and flooded the lower town", "homes were evacuated"),
    ("match", "the home side won the cup final after extra time", "supporters celebrated"),
]
# Templates, filled with each event's own names: sentences repeated verbatim across unrelated pages are
# what the cleaner takes for page chrome, and real articles do not share whole sentences.
_FILLER = (
    "Officials in {place} told {p} that more details would be released later in the week.",
    "Residents of {place} described the scene as unlike anything they had seen before, {p} said.",
    "The {place} authority declined to comment on the cost when asked by {p}.",
    "Local businesses near {place} said the disruption had hit trade hard, {p} added.",
    "{p} promised a full review of what had happened in {place} on day {day}.",
    "Witnesses told {p} the response in {place} had been quick.",
    "The mayor of {place} thanked volunteers for their help during the day, {p} said.",
    "Opposition members in {place} joined {p} in calling for an independent inquiry.",
)


def _event(rng: random.Random, n: int) -> dict[str, Any]:
    topic = _TOPICS[n % len(_TOPICS)]
    return {
        "topic": topic,
        "place": rng.choice(_PLACES),
        "people": [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(3)],
        "figures": [rng.randint(12, 9000) for _ in range(3)],
        "day": 1 + n % 27,
        "month": 1 + (n // 27) % 12,
    }


def _article(rng: random.Random, ev: dict[str, Any], variant: int) -> tuple[str, str]:
    name, what, detail = ev["topic"]
    p1, p2, p3 = ev["people"]
    f1, f2, f3 = ev["figures"]
    place = ev["place"]
    title = f"{place}: {what.split(' ')[0].title()} {what.split(' ', 1)[1]} ({variant})"
    paras = [
        f"In {place} on day {ev['day']}, {what}, said {p1}, who speaks for the {name} inquiry.",
        f"About {f1} people were affected and {detail}, according to {p2}.",
        f"{p3} said the bill could reach {f2} thousand and that {f3} workers had been called in.",
        *(f.format(place=place, p=rng.choice(ev["people"]), day=ev["day"]) for f in rng.sample(_FILLER, 4)),
        f"{p1} added that the {name} in {place} would be discussed again with {p2} next month.",
    ]
    rng.shuffle(paras)
    return title, "\n\n".join(paras)


def as_html(row: dict[str, Any]) -> dict[str, Any]:
    """The row as a web page (`html` instead of `text`), with the site's navigation and footer around it."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in row["text"].split("\n\n") if p.strip())
    site = html.escape(row["site"])
    page = (
        f"<html><head><title>{html.escape(row['title'])}</title></head><body>"
        f"<nav><a href='/'>{site} home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{html.escape(row['title'])}</h1>{body}</article>"
        f"<footer>Copyright {site}. All rights reserved. <a href='/privacy'>Privacy</a></footer>"
        "</body></html>"
    )
    return {k: v for k, v in row.items() if k != "text"} | {"html": page}


def make_corpus(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """About `n` JSONL-style rows: events of 1-4 independent articles, each with 0-3 noisy reposts."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    event = 0
    while len(rows) < n:
        ev = _event(rng, event)
        for variant in range(rng.randint(1, 4)):
            title, text = _article(rng, ev, variant)
            when = f"2024-{ev['month']:02d}-{ev['day']:02d}T{8 + variant:02d}:00:00+00:00"
            base = f"ev{event:05d}-{variant}"
            rows.append(
                {"id": base, "title": title, "text": text, "published": when, "site": f"site{variant}"}
            )
            for copy in range(rng.choice((0, 0, 1, 1, 2, 3))):
                noisy = make_repost(text, rng).text
                rows.append(
                    {
                        "id": f"{base}-c{copy}",
                        "title": title,
                        "text": noisy,
                        "published": when,
                        "site": f"mirror{copy}.example",
                    }
                )
        event += 1
    return rows[:n]
