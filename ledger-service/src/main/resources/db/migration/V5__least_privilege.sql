-- Least privilege. The migrations run as the schema's owner (quarkus.flyway.username); the
-- service signs in as another role (quarkus.datasource.username, the placeholder appRole), which
-- may read and write rows but not change the schema. Where both are one role (a development
-- set-up), there is nothing to grant.
DO $$
BEGIN
    IF '${appRole}' <> current_user THEN
        EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', '${appRole}');
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', '${appRole}');
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', '${appRole}');
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', '${appRole}');
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', '${appRole}');
        EXECUTE format('REVOKE ALL ON flyway_schema_history FROM %I', '${appRole}');
    END IF;
END
$$;
