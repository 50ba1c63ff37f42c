"""Ingest: read scraped news in the forms users have it, accounting for every input item.

`iter_inputs` turns files, folders and standard input into a stream of `RawItem` (one per article) and
`Rejection` (one per input item that is not an article, with a reason a user can read). Supported:
``.txt``, ``.html``/``.htm`` (one article per file), ``.jsonl``/``.ndjson`` and ``.csv`` (one per row),
``.parquet`` (one per row; needs ``storyline[parquet]``), ``.warc`` (one per HTML response record),
the ``.gz`` of each except Parquet, and ``-`` for standard input. Everything streams: memory holds one
item (one Parquet batch), whatever the size of the input.
"""

from storyline.ingest.config import FIELDS, IngestConfig, IngestError, IngestStats, parse_columns
from storyline.ingest.reader import STDIN, SUPPORTED_SUFFIXES, iter_inputs

__all__ = [
    "FIELDS",
    "STDIN",
    "SUPPORTED_SUFFIXES",
    "IngestConfig",
    "IngestError",
    "IngestStats",
    "iter_inputs",
    "parse_columns",
]
