-- The organisation each site belongs to, from its SiteConfigured events: what a caller may read.
CREATE TABLE site_organisation (
    site_id         TEXT COLLATE "C" PRIMARY KEY,
    organisation_id TEXT             NOT NULL
);
CREATE INDEX site_organisation_organisation ON site_organisation (organisation_id);
