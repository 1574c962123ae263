-- Every delivery accepted onto a site's log, by the ERP's delivery id. The unique key makes
-- idempotency hold across restarts and across several ledger-service instances.
CREATE TABLE accepted_delivery (
    site_id      TEXT        NOT NULL,
    delivery_id  TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    payload_hash TEXT        NOT NULL,
    accepted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, delivery_id)
);
