-- The engine's effects are complete facts; these tables hold the ones that had no place before.

-- R-13: the quantity of each outbound's claim left uncovered at its period's close, where it happened.
ALTER TABLE movement ADD COLUMN uncovered NUMERIC(30, 9) NOT NULL DEFAULT 0;

-- Every refusal: of a whole event (kind EVENT, also on its journal row), of one batch of an inbound
-- (kind BATCH, R-19) and of a pending delivery when its period came (kind RELEASE, R-09).
CREATE TABLE refusal (
    site_id    TEXT COLLATE "C" NOT NULL,
    seq        BIGINT           NOT NULL,
    ordinal    INT              NOT NULL,
    kind       TEXT             NOT NULL,
    event_type TEXT             NOT NULL,
    reference  TEXT,
    batch_id   TEXT COLLATE "C",
    code       TEXT             NOT NULL,
    message    TEXT             NOT NULL,
    PRIMARY KEY (site_id, seq, ordinal)
);

-- What happened to a batch other than a delivery: merged into another or from others (R-05), or
-- disqualified on hand because its supplier's certificate was revoked after the fact (R-16).
CREATE TABLE batch_change (
    site_id        TEXT COLLATE "C" NOT NULL,
    seq            BIGINT           NOT NULL,
    ordinal        INT              NOT NULL,
    batch_id       TEXT COLLATE "C" NOT NULL,
    kind           TEXT             NOT NULL,
    other_batch_id TEXT COLLATE "C",
    amount         NUMERIC(30, 9)   NOT NULL,
    note           TEXT,
    PRIMARY KEY (site_id, seq, ordinal)
);
CREATE INDEX batch_change_batch ON batch_change (site_id, batch_id);
