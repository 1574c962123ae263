-- Each site's configuration as it stands (the last SiteConfigured applied): the dispatch check
-- reads it (products, units, blend groups, allocation and overdraft policy) with one look-up.
CREATE TABLE site_setup (
    site_id       TEXT COLLATE "C" PRIMARY KEY,
    seq           BIGINT           NOT NULL,
    configuration JSONB            NOT NULL
);
INSERT INTO site_setup (site_id, seq, configuration)
SELECT DISTINCT ON (site_id) site_id, seq, payload::jsonb FROM journal
WHERE event_type = 'SiteConfigured' AND refusal_code IS NULL ORDER BY site_id, seq DESC;
