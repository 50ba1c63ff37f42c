"""Text templates for synthetic page chrome and inserted sentences.

Real chrome varies by site, so every piece here is assembled from interchangeable parts: a copy
detector that only learned one header would not generalise, and neither would one tested on one.
"""

from __future__ import annotations

import random

__all__ = ["footer_lines", "header_lines", "invented_paragraph", "shared_insert"]

_PLACES = (
    "Calgary",
    "Riverside",
    "Lakeshore",
    "Northern",
    "Capital",
    "Valley",
    "Harbour",
    "Metro",
    "Bay Area",
)
_PAPERS = (
    "Herald",
    "Times",
    "Action News",
    "Post",
    "Gazette",
    "Daily",
    "Observer",
    "Tribune",
    "Chronicle",
    "Today",
)
_SECTIONS = (
    "Home",
    "News",
    "World",
    "Local",
    "Business",
    "Sport",
    "Politics",
    "Opinion",
    "Tech",
    "Health",
    "Entertainment",
    "Video",
    "Weather",
    "Obituaries",
    "Podcasts",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_FIRST = (
    "Anna",
    "James",
    "Maria",
    "David",
    "Li",
    "Fatima",
    "Tom",
    "Sarah",
    "Ahmed",
    "Elena",
    "Kenji",
    "Grace",
)
_LAST = ("Smith", "Okafor", "Nguyen", "Schmidt", "Rossi", "Kim", "Garcia", "Ivanova", "Brown", "Haddad")
_ORGS = (
    "Acme Holdings",
    "Northwind Group",
    "the ministry",
    "the city council",
    "Globex Corp",
    "the regional authority",
    "Initech",
    "the national federation",
    "Vertex Energy",
    "the police",
)
_TOPICS = (
    "budget",
    "election",
    "storm",
    "merger",
    "strike",
    "trial",
    "match",
    "summit",
    "outbreak",
    "report",
)
_VERBS = ("faces", "delays", "backs", "rejects", "announces", "reviews", "wins", "loses", "plans", "warns on")


def _site(rng: random.Random) -> str:
    return f"{rng.choice(('The ', '', ''))}{rng.choice(_PLACES)} {rng.choice(_PAPERS)}"


def _date(rng: random.Random) -> str:
    return f"{rng.choice(_WEEKDAYS)}, {rng.choice(_MONTHS)} {rng.randint(1, 28)}, {rng.randint(2004, 2025)}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _headline(rng: random.Random) -> str:
    org = rng.choice(_ORGS).removeprefix("the ").capitalize()
    thing = rng.choice(("plan", "row", "deal", "talks", "vote"))
    return f"{org} {rng.choice(_VERBS)} {rng.choice(_TOPICS)} {thing}"


def _nav(rng: random.Random) -> str:
    return rng.choice((" | ", "  ", " \u2022 ", " / ")).join(rng.sample(_SECTIONS, rng.randint(5, 10)))


def header_lines(rng: random.Random) -> list[str]:
    """A site header: some of masthead, date/weather strip, navigation, login prompts, breadcrumbs."""
    site = _site(rng)
    options = [
        site,
        f"Home WebMail {_date(rng)} {rng.randint(1, 12)}:{rng.randint(0, 59):02d} "
        f"{rng.choice(('AM', 'PM'))} | {rng.choice(_PLACES)} | {rng.randint(-20, 35)}.0\u00b0C "
        "| Advertise Login |",
        _nav(rng),
        rng.choice(("Skip to main content", "Skip to content", "Menu Search", "Sign in | Register")),
        rng.choice(
            (
                "Subscribe now for unlimited access",
                "Our platform is in maintenance mode.",
                "Get the app",
                "Advertisement",
            )
        ),
        f"{rng.choice(_SECTIONS)} > {rng.choice(_SECTIONS)}",
        f"Published {_date(rng)} | Updated {rng.randint(1, 12)} hours ago",
    ]
    chosen = [options[0]] + [line for line in options[1:] if rng.random() < 0.5]
    return chosen


_POLICIES = (
    "To encourage thoughtful and respectful conversations, first and last names will appear with each "
    "submission to {site}'s online communities. Pseudonyms will no longer be permitted.",
    "By submitting a comment, you accept that {site} has the right to reproduce and publish that comment "
    "in whole or in part, in any manner {site} chooses.",
    "Comments on this story are moderated according to our Submission Guidelines. Comments are welcome "
    "while open. We reserve the right to close comments at any time.",
    "We welcome your comments. Please keep them civil and on topic; abusive posts will be removed.",
    "Comments are closed for this article.",
)
_SHARES = (
    "Share this article: Facebook Twitter Email",
    "Share on Facebook",
    "Click to share on WhatsApp (Opens in new window)",
    "Share | Tweet | Email | Print",
    "Was this article helpful? Yes No",
    "Follow us on X and Instagram",
)
_COPYRIGHTS = (
    "\u00a9 {year} {site}. All rights reserved.",
    "Copyright {year} The Associated Press. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed.",
    "Copyright \u00a9 {year} {site} | Privacy Policy | Terms of Use | Cookie Settings",
    "(c) {year} Thomson Reuters. All rights reserved.",
)


def _related(rng: random.Random) -> list[str]:
    title = rng.choice(
        ("Related stories", "More from {site}", "You may also like", "Most read", "Trending now")
    )
    items = [rng.choice(("", "- ", "\u2022 ")) + _headline(rng) for _ in range(rng.randint(3, 6))]
    return [title.format(site=_site(rng)), *items]


def footer_lines(rng: random.Random) -> list[str]:
    """A site footer: comment policy, share prompts, related stories, newsletter, copyright."""
    site, year = _site(rng), rng.randint(2004, 2025)
    lines: list[str] = []
    if rng.random() < 0.6:
        lines += [p.format(site=site) for p in rng.sample(_POLICIES, rng.randint(1, 3))]
    if rng.random() < 0.6:
        lines += rng.sample(_SHARES, rng.randint(1, 2))
    if rng.random() < 0.6:
        lines += _related(rng)
    if rng.random() < 0.4:
        lines.append(
            rng.choice(
                (
                    "Sign up for our daily newsletter",
                    "Get breaking news alerts by email",
                    "We use cookies to improve your experience. Accept all",
                )
            )
        )
    lines.append(rng.choice(_COPYRIGHTS).format(year=year, site=site))
    return lines


def invented_paragraph(rng: random.Random) -> str:
    """A paragraph a later or local version adds: an update, a reaction, a note, a credit."""
    forms = (
        lambda: f"The toll rose to {rng.randint(3, 400)} on {rng.choice(_WEEKDAYS)}, officials said.",
        lambda: (
            f"{_name(rng)}, a spokesperson for {rng.choice(_ORGS)}, said further details would be "
            f"released later this week."
        ),
        lambda: f"Editor's note: This story has been updated to include comments from {rng.choice(_ORGS)}.",
        lambda: f"Additional reporting by {_name(rng)}; Editing by {_name(rng)}.",
        lambda: (
            f"Local officials in {rng.choice(_PLACES)} said they were monitoring the situation closely "
            f"and would meet again on {rng.choice(_WEEKDAYS)}."
        ),
        lambda: (
            f"Shares closed {rng.choice(('up', 'down'))} {rng.randint(1, 9)}.{rng.randint(0, 9)} per cent "
            f"in {rng.choice(_WEEKDAYS)} trading."
        ),
    )
    return rng.choice(forms)()


def shared_insert(rng: random.Random) -> list[str]:
    """One or two sentences unrelated articles may both carry: a quote, a press-release blurb, a template."""
    org = rng.choice(_ORGS).removeprefix("the ").title()
    kind = rng.randrange(3)
    if kind == 0:
        quote = (
            f'"We are {rng.choice(("deeply concerned", "very pleased", "committed to transparency"))} '
            f'and will continue to work with all partners on the {rng.choice(_TOPICS)}," said {_name(rng)}, '
            f"{rng.choice(('chief executive', 'spokeswoman', 'director', 'minister'))} of {org}."
        )
        follow = f'"There is no quick fix, but we are moving in the right direction," {_name(rng)} added.'
        return [quote, follow] if rng.random() < 0.5 else [quote]
    if kind == 1:
        return [
            f"{org} is a leading provider of {rng.choice(('energy', 'software', 'logistics', 'financial'))} "
            f"services, serving more than {rng.randint(2, 900)},000 customers in "
            f"{rng.randint(3, 80)} countries.",
            f"For more information, visit www.{org.lower().replace(' ', '')}.com or contact "
            f"{_name(rng)} at the press office.",
        ][: rng.randint(1, 2)]
    return [
        f"This release contains forward-looking statements about {org} that involve risks and "
        f"uncertainties, and actual results may differ materially from those in the statements.",
        f"{org} undertakes no obligation to update these statements after {rng.choice(_MONTHS)} "
        f"{rng.randint(1, 28)}.",
    ][: rng.randint(1, 2)]
