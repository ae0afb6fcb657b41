-- The customers' equity positions on the snapshot dates a feature can reach; only quantity > 0
-- is held. The earliest reachable snapshot is snap(positions, x), x the earlier of as_of - 90
-- (the day before the window) and the trading date before the window's first day (p of a
-- drawdown on that day); older history is never read. A snapshot row re-delivered later (a
-- correction) replaces the earlier delivery.
WITH first_reachable AS (
  SELECT MAX(s.snap_date) AS snap_date
  FROM position_dates s
  WHERE s.snap_date <= (
    SELECT LEAST(DATE_SUB({as_of}, 90), COALESCE(MIN(prev_trade_date), DATE_SUB({as_of}, 90)))
    FROM calendar
  )
)
SELECT
  a.customer_key,
  p.account_id,
  p.position_date,
  p.symbol,
  p.sector,
  p.quantity,
  p.cost_basis,
  p.market_value
FROM (
  SELECT
    account_id,
    position_date,
    symbol,
    sector,
    quantity,
    cost_basis,
    market_value,
    ROW_NUMBER() OVER (
      PARTITION BY account_id, position_date, symbol ORDER BY dt DESC
    ) AS delivery_rank
  FROM src_positions
  CROSS JOIN first_reachable f
  WHERE position_date <= {as_of} AND (f.snap_date IS NULL OR position_date >= f.snap_date)
) p
JOIN accounts a ON a.account_id = p.account_id
WHERE p.delivery_rank = 1 AND p.quantity > 0
