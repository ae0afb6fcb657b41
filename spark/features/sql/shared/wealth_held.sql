-- The customers' wealth product holdings (units > 0) on the snapshot dates a feature can
-- reach — from the one in force on the window's first day — with the product's attributes
-- from the catalogue as of as_of. A re-delivered snapshot row replaces the earlier delivery.
WITH first_reachable AS (
  SELECT MIN(hold_snap) AS snap_date
  FROM calendar
)
SELECT
  a.customer_key,
  h.account_id,
  h.holding_date,
  h.product_code,
  h.units,
  h.market_value,
  p.product_type,
  p.risk_level,
  p.currency
FROM (
  SELECT
    account_id,
    holding_date,
    product_code,
    units,
    market_value,
    ROW_NUMBER() OVER (
      PARTITION BY account_id, holding_date, product_code ORDER BY dt DESC
    ) AS delivery_rank
  FROM src_wealth_holdings
  CROSS JOIN first_reachable f
  WHERE holding_date <= {as_of} AND (f.snap_date IS NULL OR holding_date >= f.snap_date)
) h
JOIN accounts a ON a.account_id = h.account_id
LEFT JOIN products p ON p.product_code = h.product_code
WHERE h.delivery_rank = 1 AND h.units > 0
