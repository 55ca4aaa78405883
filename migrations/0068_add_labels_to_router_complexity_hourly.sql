-- The labelled quality-target band (docs/router.md, "Labelled band"): per hour and feature, the
-- judged small-tier outcomes of routed requests by complexity bin, [[bin, labels, bad, wins], ...]
-- (served small-tier answers and shadow pairs, thinned to one sampling rate).
ALTER TABLE router_complexity_hourly ADD COLUMN labels_json TEXT NOT NULL DEFAULT '[]';
