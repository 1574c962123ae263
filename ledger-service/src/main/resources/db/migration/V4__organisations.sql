-- Organisations (the reporting companies), the sites and certificates each one owns, and the
-- sites each of its ERP clients may post deliveries for.
CREATE TABLE organisation (
    organisation_id TEXT        PRIMARY KEY,
    name            TEXT        NOT NULL,
    created_by      TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE erp_site_grant (
    client_id       TEXT        NOT NULL,
    site_id         TEXT        NOT NULL,
    organisation_id TEXT        NOT NULL REFERENCES organisation,
    granted_by      TEXT        NOT NULL,
    granted_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (client_id, site_id)
);

-- Sites registered before organisations belong to none: no organisation can use them.
ALTER TABLE site ADD COLUMN organisation_id TEXT;
CREATE INDEX site_organisation ON site (organisation_id);

-- A certificate is registered by an organisation and reaches only its own sites' logs.
ALTER TABLE certificate ADD COLUMN organisation_id TEXT NOT NULL DEFAULT '';
ALTER TABLE certificate DROP CONSTRAINT certificate_pkey;
ALTER TABLE certificate ADD PRIMARY KEY (organisation_id, supplier_id, certificate_id);
