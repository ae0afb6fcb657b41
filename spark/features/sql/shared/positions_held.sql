-- The customers' equity positions on every snapshot date up to as_of; only quantity > 0 is
-- held. A snapshot row re-delivered later (a correction) replaces the earlier delivery.
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
  WHERE position_date <= {as_of}
) p
JOIN accounts a ON a.account_id = p.account_id
WHERE p.delivery_rank = 1 AND p.quantity > 0
