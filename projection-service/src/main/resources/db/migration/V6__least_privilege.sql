-- Least privilege. The migrations run as the schema's owner (quarkus.flyway.username); the
-- service signs in as another role (quarkus.datasource.username, the placeholder appRole), which
-- may read and write the read models but not change the schema, and may only append to the
-- journal. Where both are one role (a development set-up), there is nothing to grant.
DO $$
BEGIN
    IF '${appRole}' <> current_user THEN
        EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', '${appRole}');
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', '${appRole}');
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', '${appRole}');
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', '${appRole}');
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', '${appRole}');
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON journal FROM %I', '${appRole}');
        EXECUTE format('REVOKE ALL ON flyway_schema_history FROM %I', '${appRole}');
    END IF;
END
$$;

-- The journal is append-only for everyone who does not first switch the triggers off (which takes
-- the owner's or a superuser's rights): what was journaled stays as it was.
CREATE FUNCTION journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the journal is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER journal_rows_are_never_changed BEFORE UPDATE OR DELETE ON journal
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER journal_is_never_emptied BEFORE TRUNCATE ON journal
    FOR EACH STATEMENT EXECUTE FUNCTION journal_is_append_only();
