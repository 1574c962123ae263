-- Identifiers are opaque: compare them byte by byte. Under a linguistic collation every index
-- comparison goes through the C library's collation routines, which made up about a quarter of
-- the cost of inserting the journal, movement and portion rows.
ALTER TABLE journal ALTER COLUMN site_id TYPE TEXT COLLATE "C";
ALTER TABLE movement ALTER COLUMN site_id TYPE TEXT COLLATE "C", ALTER COLUMN delivery_id TYPE TEXT COLLATE "C";
ALTER TABLE portion ALTER COLUMN site_id TYPE TEXT COLLATE "C", ALTER COLUMN delivery_id TYPE TEXT COLLATE "C",
    ALTER COLUMN batch_id TYPE TEXT COLLATE "C";
ALTER TABLE batch ALTER COLUMN site_id TYPE TEXT COLLATE "C", ALTER COLUMN batch_id TYPE TEXT COLLATE "C";
ALTER TABLE stock ALTER COLUMN site_id TYPE TEXT COLLATE "C", ALTER COLUMN batch_id TYPE TEXT COLLATE "C";
ALTER TABLE period_balance ALTER COLUMN site_id TYPE TEXT COLLATE "C";
ALTER TABLE deviation ALTER COLUMN deviation_id TYPE TEXT COLLATE "C", ALTER COLUMN site_id TYPE TEXT COLLATE "C";
ALTER TABLE site_partition ALTER COLUMN site_id TYPE TEXT COLLATE "C";
