-- Each closed period's signed statement, made once shortly after the close and kept as made: the
-- same bytes on every download. The service's role may add a statement, never change or remove one.
CREATE TABLE period_statement (
    site_id   TEXT COLLATE "C" NOT NULL,
    period_id TEXT             NOT NULL,
    issued_at TIMESTAMPTZ      NOT NULL,
    key_id    TEXT             NOT NULL,
    jws       TEXT             NOT NULL,
    PRIMARY KEY (site_id, period_id)
);
DO $$
BEGIN
    IF '${appRole}' <> current_user THEN
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON period_statement FROM %I', '${appRole}');
    END IF;
END
$$;
