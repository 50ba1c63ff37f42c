"""``storyline batch``: the pipeline over many inputs into a Parquet dataset, on one machine (the
local engine) or on a Ray cluster, with one row format (:mod:`.records`) and one exporter
(:mod:`.export`) for both."""
