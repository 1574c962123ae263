-- Delivery acceptance: the row is inserted PENDING and marked APPENDED in the same transaction,
-- which commits only after the broker acknowledged the append.
ALTER TABLE accepted_delivery ADD COLUMN status TEXT NOT NULL DEFAULT 'APPENDED';
ALTER TABLE accepted_delivery ADD COLUMN direction TEXT;

-- The sites as registered, with their current configuration as the contracts' JSON.
CREATE TABLE site (
    site_id       TEXT        PRIMARY KEY,
    configuration JSONB       NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Supplier certificates; every registration and revocation is appended to every site's log.
CREATE TABLE certificate (
    supplier_id    TEXT        NOT NULL,
    certificate_id TEXT        NOT NULL,
    registration   JSONB       NOT NULL,
    revoked_from   DATE,
    revocation     JSONB,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (supplier_id, certificate_id)
);

-- One close request per site and period, whether a person or the scheduler asked first.
CREATE TABLE period_close_request (
    site_id      TEXT        NOT NULL,
    period_id    TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    requested_by TEXT        NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, period_id)
);

-- One reversal per delivery.
CREATE TABLE reversal (
    site_id      TEXT        NOT NULL,
    delivery_id  TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, delivery_id)
);
