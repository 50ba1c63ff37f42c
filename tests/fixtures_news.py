"""News-like texts written for Storyline's tests (not taken from any data set).

Three independent articles: two about the same (invented) event, one about another; and helpers that
make a scraped repost of an article the way aggregator sites do.
"""

from __future__ import annotations

FERRY = """Ferry service to Harbour Island resumes after storm damage repaired

Ferry service between Port Alden and Harbour Island resumed on Monday, nine days after a winter storm tore away part of the main pier, the regional transport authority said.

The first crossing left Port Alden at 7:15 a.m. with 212 passengers on board, many of them commuters who had been relying on a temporary water taxi run by local fishermen.

Engineers worked around the clock to replace 40 metres of decking and two mooring posts, authority spokeswoman Dana Kell told reporters at the terminal. "We are grateful for the patience of islanders who have had a very difficult week," she said.

The storm, which brought gusts of up to 130 kilometres an hour, also cut power to about 3,000 homes on the island. Electricity was restored on Thursday.

Local businesses said the closure had cost them thousands in lost trade. The island's only supermarket ran out of fresh milk on the fourth day, owner Priya Raman said.

The authority said it would review whether the pier should be rebuilt higher to cope with rising sea levels, with a report due in the spring."""

FERRY_OTHER = """Islanders cheer as ferries return to Harbour Island

Cheers went up on Harbour Island on Monday morning when the first ferry in more than a week nosed into the repaired pier, ending an isolation that islanders described as the longest in living memory.

About two hundred people made the crossing from Port Alden, the transport authority said, after crews finished rebuilding a section of the pier wrecked by last week's storm.

"My grandmother has been on her own since the storm hit, so this is a huge relief," said commuter Tom Okafor, 34, who works at a hospital on the mainland.

Shop owners said trade had collapsed during the closure. Priya Raman, who runs the island supermarket, said she had rationed bread and milk for days.

The authority has promised a study of whether the pier needs to be raised, as storms in the region grow stronger."""

BUDGET = """City council approves library budget after long debate

The city council voted 7-4 on Tuesday night to approve a budget that keeps all five branch libraries open, ending months of uncertainty for staff and readers.

The plan adds 1.2 million to the libraries' annual budget, paid for by delaying the resurfacing of two car parks and trimming the council's events programme.

Councillor Maria Lindqvist, who led the campaign to save the branches, said the vote showed that residents had been heard. Opponents argued the car parks were in a dangerous state and that the delay could lead to claims against the city.

Opening hours at the Northgate branch will be extended to include Sunday afternoons from next month, the head librarian said. A children's reading programme cut last year will also return.

The council will revisit the car park repairs in its autumn review."""

SITE_HEADER = "Home | News | Sport | Weather | Login | Tuesday, 14 March 2023 | 12°C Port Alden"
SITE_FOOTER = [
    "Share this article on your favourite network",
    "Copyright 2023 Coastal Courier Media Group. All rights reserved.",
]


def repost(text: str, site_header: str = SITE_HEADER, footer: list[str] | None = None) -> str:
    """A scraped repost: site header and footer added, headline suffixed, two words glued together."""
    title, _, body = text.partition("\n\n")
    body = body.replace("resumed on Monday", "resumed onMonday", 1).replace(
        "commuters who", "commuterswho", 1
    )
    tail = "\n\n".join(footer if footer is not None else SITE_FOOTER)
    return f"{title} - Coastal Courier\n{site_header}\n\n{title}\n\n{body}\n\n{tail}\n"
