-- Snapshot dates of wealth holdings up to as_of over the whole table (all customers).
SELECT DISTINCT holding_date AS snap_date
FROM src_wealth_holdings
WHERE holding_date <= {as_of}
