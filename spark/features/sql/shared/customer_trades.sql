-- Every fill of the customers with trade_date <= as_of (all history: last buys, days since).
SELECT
  a.customer_key,
  t.trade_id,
  t.account_id,
  t.trade_time,
  CAST(t.trade_time AS DATE) AS trade_date,
  t.symbol,
  t.sector,
  t.side,
  t.quantity,
  t.price,
  t.amount,
  t.is_margin,
  t.channel,
  t.dt
FROM src_trades t
JOIN accounts a ON a.account_id = t.account_id
WHERE CAST(t.trade_time AS DATE) <= {as_of}
