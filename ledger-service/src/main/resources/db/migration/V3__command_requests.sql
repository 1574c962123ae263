-- Every command other than a delivery, recorded once per site, command and key: a period close
-- by its period, a reversal by its delivery, a merge by its target batch, a deviation workflow
-- command by the caller's Idempotency-Key. The row commits only after the broker acknowledged
-- the append, so the same command twice is one event on the log.
CREATE TABLE command_request (
    site_id      TEXT        NOT NULL,
    command      TEXT        NOT NULL,
    command_key  TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    payload_hash TEXT        NOT NULL,
    requested_by TEXT        NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (site_id, command, command_key)
);

INSERT INTO command_request (site_id, command, command_key, event_id, payload_hash, requested_by, requested_at)
SELECT site_id, 'close', period_id, event_id, '', requested_by, requested_at FROM period_close_request;
INSERT INTO command_request (site_id, command, command_key, event_id, payload_hash, requested_by, requested_at)
SELECT site_id, 'reversal', delivery_id, event_id, '', 'unknown', requested_at FROM reversal;
DROP TABLE period_close_request;
DROP TABLE reversal;
