-- Audit samples (R-20): what was drawn, from which seed, at which log position, by whom. Kept as
-- drawn: the service's role may add a sample, never change or remove one.
CREATE TABLE audit_sample (
    sample_id TEXT COLLATE "C" PRIMARY KEY,
    site_id   TEXT COLLATE "C" NOT NULL,
    period_id TEXT             NOT NULL,
    drawn_at  TIMESTAMPTZ      NOT NULL,
    drawn_by  TEXT             NOT NULL,
    body      JSONB            NOT NULL
);
CREATE INDEX audit_sample_site ON audit_sample (site_id, drawn_at);
DO $$
BEGIN
    IF '${appRole}' <> current_user THEN
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_sample FROM %I', '${appRole}');
    END IF;
END
$$;
