-- Fewer index entries per applied event: every event writes a journal row, most write a movement
-- and a portion row, and each index on them costs a write of its own.

-- Which partition each site's log lives in, so that a partition's sites are loaded through the
-- journal's primary key instead of a second index on every journal row.
CREATE TABLE site_partition (
    site_id         TEXT PRIMARY KEY,
    kafka_partition INT  NOT NULL
);
INSERT INTO site_partition (site_id, kafka_partition)
SELECT DISTINCT ON (site_id) site_id, kafka_partition FROM journal ORDER BY site_id, seq DESC;
DROP INDEX journal_partition;

-- Portions are keyed by their delivery and their place within the event that wrote them; that key
-- also serves the look-up by delivery, so the generated id and its index go.
ALTER TABLE portion ADD COLUMN ordinal INT;
UPDATE portion p SET ordinal = o.ordinal
FROM (SELECT id, (row_number() OVER (PARTITION BY site_id, seq ORDER BY id) - 1)::int AS ordinal FROM portion) o
WHERE p.id = o.id;
ALTER TABLE portion ALTER COLUMN ordinal SET NOT NULL;
ALTER TABLE portion DROP CONSTRAINT portion_pkey;
ALTER TABLE portion DROP COLUMN id;
DROP INDEX portion_delivery;
ALTER TABLE portion ADD PRIMARY KEY (site_id, delivery_id, seq, ordinal);
