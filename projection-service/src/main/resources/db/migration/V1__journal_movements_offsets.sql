-- Where each ledger partition resumes; written in the same transaction as the rows below.
CREATE TABLE consumer_offset (
    topic           TEXT   NOT NULL,
    kafka_partition INT    NOT NULL,
    next_offset     BIGINT NOT NULL,
    PRIMARY KEY (topic, kafka_partition)
);

-- Every event of every site's log, in log order.
CREATE TABLE journal (
    site_id         TEXT   NOT NULL,
    seq             BIGINT NOT NULL,
    event_type      TEXT   NOT NULL,
    kafka_partition INT    NOT NULL,
    kafka_offset    BIGINT NOT NULL,
    payload         JSONB  NOT NULL,
    PRIMARY KEY (site_id, seq),
    UNIQUE (kafka_partition, kafka_offset)
);

CREATE TABLE movement (
    id                 BIGSERIAL PRIMARY KEY,
    site_id            TEXT          NOT NULL,
    delivery_id        TEXT          NOT NULL,
    direction          TEXT          NOT NULL,
    occurred_at        TIMESTAMPTZ   NOT NULL,
    product            TEXT          NOT NULL,
    amount             NUMERIC(30, 9) NOT NULL,
    unit               TEXT          NOT NULL,
    sustainable_amount NUMERIC(30, 9) NOT NULL
);
CREATE INDEX movement_site ON movement (site_id, id);
