-- Snapshot dates of positions up to as_of over the whole table (all customers): snap() picks
-- the latest of these on or before a date.
SELECT DISTINCT position_date AS snap_date
FROM src_positions
WHERE position_date <= {as_of}
