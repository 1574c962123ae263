-- R-22: each transfer between two sites of an organisation, from its dispatch at the source to its
-- receipt at the destination. The source's projector writes the row when the source books the
-- transfer; the destination's projector updates it when the material reaches the destination's log
-- (IN_TRANSIT) and when its receipt is booked (RECEIVED). Quantities in the source's accounting unit
-- (dispatched) and the destination's (received).
CREATE TABLE transfer (
    source_site_id      TEXT COLLATE "C" NOT NULL,
    delivery_id         TEXT COLLATE "C" NOT NULL,
    destination_site_id TEXT COLLATE "C" NOT NULL,
    product             TEXT             NOT NULL,
    unit                TEXT             NOT NULL,
    quantity            NUMERIC(30, 9)   NOT NULL,
    sustainable         NUMERIC(30, 9)   NOT NULL,
    dispatched_at       TIMESTAMPTZ      NOT NULL,
    dispatched_seq      BIGINT           NOT NULL,
    status              TEXT             NOT NULL,
    in_transit_seq      BIGINT,
    received_unit       TEXT,
    received_quantity   NUMERIC(30, 9),
    sustainable_lost    NUMERIC(30, 9),
    received_seq        BIGINT,
    PRIMARY KEY (source_site_id, delivery_id)
);
CREATE INDEX transfer_destination ON transfer (destination_site_id, status);

-- A batch's link to a batch of another site: TRANSFERRED_TO at the source, TRANSFERRED_FROM at the
-- destination (R-22); the trace follows a batch across sites by it.
ALTER TABLE batch_change ADD COLUMN other_site_id TEXT COLLATE "C";
