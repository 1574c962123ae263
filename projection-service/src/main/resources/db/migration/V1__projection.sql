-- Every table below is written by the projection in one transaction per polled batch,
-- together with consumer_offset: a crash, restart or rebalance neither loses nor repeats.

-- Where each ledger partition resumes.
CREATE TABLE consumer_offset (
    topic           TEXT   NOT NULL,
    kafka_partition INT    NOT NULL,
    next_offset     BIGINT NOT NULL,
    PRIMARY KEY (topic, kafka_partition)
);

-- Every event of every site's log in log order, with its per-site sequence number and the hash
-- chain h_n = SHA-256(h_{n-1} || payload_n) over the payload bytes exactly as received (R-20).
CREATE TABLE journal (
    site_id         TEXT        NOT NULL,
    seq             BIGINT      NOT NULL,
    event_id        TEXT,
    event_type      TEXT        NOT NULL,
    kafka_partition INT         NOT NULL,
    kafka_offset    BIGINT      NOT NULL,
    recorded_at     TIMESTAMPTZ,
    payload         TEXT        NOT NULL,
    hash            TEXT        NOT NULL,
    refusal_code    TEXT,
    refusal_message TEXT,
    PRIMARY KEY (site_id, seq)
);
CREATE INDEX journal_partition ON journal (kafka_partition, site_id, seq);

-- Batches ever received per site, with their characteristics (R-01, R-02).
CREATE TABLE batch (
    site_id         TEXT   NOT NULL,
    batch_id        TEXT   NOT NULL,
    product         TEXT   NOT NULL,
    characteristics JSONB  NOT NULL,
    first_seq       BIGINT NOT NULL,
    PRIMARY KEY (site_id, batch_id)
);

-- Every delivery: BOOKED into a period, PENDING (dated in a later period, R-09), or REVERSED.
CREATE TABLE movement (
    site_id         TEXT           NOT NULL,
    delivery_id     TEXT           NOT NULL,
    seq             BIGINT         NOT NULL,
    direction       TEXT           NOT NULL,
    status          TEXT           NOT NULL,
    occurred_at     TIMESTAMPTZ    NOT NULL,
    period_id       TEXT           NOT NULL,
    dated_period    TEXT           NOT NULL,
    product         TEXT           NOT NULL,
    unit            TEXT           NOT NULL,
    quantity        NUMERIC(30, 9) NOT NULL,
    sustainable     NUMERIC(30, 9) NOT NULL,
    non_sustainable NUMERIC(30, 9) NOT NULL,
    open_claim      NUMERIC(30, 9) NOT NULL,
    late            BOOLEAN        NOT NULL,
    event_seq       BIGINT         NOT NULL,  -- the journal row of the delivery's own event
    PRIMARY KEY (site_id, delivery_id)
);
CREATE INDEX movement_site_time ON movement (site_id, occurred_at, seq);

-- The batch portions of each movement: RECEIVED by an inbound, DRAWN by an outbound (at once
-- or when a later inbound covered its open claim), RETURNED by a reversal (R-03, R-11, R-14).
CREATE TABLE portion (
    id          BIGSERIAL      PRIMARY KEY,
    site_id     TEXT           NOT NULL,
    delivery_id TEXT           NOT NULL,
    seq         BIGINT         NOT NULL,
    kind        TEXT           NOT NULL,
    batch_id    TEXT           NOT NULL,
    product     TEXT           NOT NULL,
    amount      NUMERIC(30, 9) NOT NULL
);
CREATE INDEX portion_delivery ON portion (site_id, delivery_id);
CREATE INDEX portion_batch ON portion (site_id, batch_id);

-- Period balances: the closed result (immutable) or the running balance of an open period.
CREATE TABLE period_balance (
    site_id   TEXT   NOT NULL,
    period_id TEXT   NOT NULL,
    status    TEXT   NOT NULL,
    seq       BIGINT NOT NULL,
    balance   JSONB  NOT NULL,
    PRIMARY KEY (site_id, period_id)
);

-- Batches on hand now, per site.
CREATE TABLE stock (
    site_id  TEXT           NOT NULL,
    batch_id TEXT           NOT NULL,
    product  TEXT           NOT NULL,
    mixture  TEXT           NOT NULL,
    on_hand  NUMERIC(30, 9) NOT NULL,
    position INT            NOT NULL,
    PRIMARY KEY (site_id, batch_id)
);

CREATE TABLE deviation (
    deviation_id TEXT        PRIMARY KEY,
    site_id      TEXT        NOT NULL,
    period_id    TEXT        NOT NULL,
    rule         TEXT        NOT NULL,
    class        TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    raised_seq   BIGINT      NOT NULL,
    changed_seq  BIGINT      NOT NULL,
    body         JSONB       NOT NULL
);
CREATE INDEX deviation_site ON deviation (site_id, raised_seq);

-- Transactional outbox: deviations and period results, published to Kafka after commit.
CREATE TABLE outbox (
    id           BIGSERIAL   PRIMARY KEY,
    topic        TEXT        NOT NULL,
    message_key  TEXT        NOT NULL,
    ce_id        TEXT        NOT NULL,
    ce_type      TEXT        NOT NULL,
    payload      TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- MAJOR deviations to tell the configured webhooks about, with retries and backoff.
CREATE TABLE webhook_delivery (
    id              BIGSERIAL   PRIMARY KEY,
    url             TEXT        NOT NULL,
    deviation_id    TEXT        NOT NULL,
    payload         TEXT        NOT NULL,
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at    TIMESTAMPTZ,
    last_error      TEXT,
    failed          BOOLEAN     NOT NULL DEFAULT false
);
CREATE INDEX webhook_due ON webhook_delivery (next_attempt_at) WHERE delivered_at IS NULL AND NOT failed;
