-- The customers' fills in the 90d window, each with its day's calendar attributes, its cost
-- basis (positions at snap(positions, trade_date - 1), NULL = unmatched) and whether its
-- (symbol, trade_date) is a same-day round trip.
WITH windowed AS (
  SELECT
    t.*,
    c.in_7d,
    c.in_30d,
    c.is_trading_day,
    c.is_drawdown,
    c.prev_trade_date,
    c.prev_is_rally,
    c.pos_snap_before
  FROM customer_trades t
  JOIN calendar c ON c.day = t.trade_date
),
round_trips AS (
  SELECT customer_key, symbol, trade_date
  FROM windowed
  GROUP BY customer_key, symbol, trade_date
  HAVING MAX(CASE WHEN side = 'BUY' THEN 1 ELSE 0 END) = 1
     AND MAX(CASE WHEN side = 'SELL' THEN 1 ELSE 0 END) = 1
)
SELECT
  w.*,
  k.cost_basis,
  r.symbol IS NOT NULL AS in_round_trip
FROM windowed w
LEFT JOIN position_costs k
  ON k.customer_key = w.customer_key
  AND k.symbol = w.symbol
  AND k.position_date = w.pos_snap_before
LEFT JOIN round_trips r
  ON r.customer_key = w.customer_key
  AND r.symbol = w.symbol
  AND r.trade_date = w.trade_date
