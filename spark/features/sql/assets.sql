-- The equity book at snap(positions, as_of) and total assets over the windows.
WITH book AS (
  SELECT
    customer_key,
    EXACT_SUM(market_value) AS market_value,
    EXACT_SUM(quantity * cost_basis) AS cost,
    EXACT_SUM(CASE WHEN market_value < quantity * cost_basis THEN market_value ELSE 0 END)
      AS below_cost_value,
    EXACT_SUM(CASE WHEN market_value <= CAST(0.8 AS DOUBLE) * quantity * cost_basis
             THEN market_value ELSE 0 END) AS deep_below_cost_value,
    COUNT(DISTINCT symbol) AS symbols
  FROM positions_now
  GROUP BY customer_key
),
symbol_values AS (
  SELECT customer_key, symbol, EXACT_SUM(market_value) AS market_value
  FROM positions_now
  GROUP BY customer_key, symbol
),
largest_symbol AS (
  SELECT customer_key, MAX(market_value) AS market_value
  FROM symbol_values
  GROUP BY customer_key
),
sector_values AS (
  SELECT customer_key, sector, EXACT_SUM(market_value) AS market_value
  FROM positions_now
  GROUP BY customer_key, sector
),
sector_concentration AS (
  SELECT
    s.customer_key,
    EXACT_SUM(s.market_value * s.market_value) / MAX(b.market_value * b.market_value) AS hhi
  FROM sector_values s
  JOIN book b ON b.customer_key = s.customer_key
  WHERE b.market_value > 0
  GROUP BY s.customer_key
)
SELECT
  p.customer_key,
  t.equity_now AS equity_market_value,
  (b.market_value - b.cost) / NULLIF(b.cost, 0) AS equity_unrealised_pnl_ratio,
  t.wealth_now AS wealth_market_value,
  t.total_now AS total_assets,
  t.avg_7d AS total_assets_avg_7d,
  t.avg_30d AS total_assets_avg_30d,
  t.avg_90d AS total_assets_avg_90d,
  t.max_90d AS total_assets_max_90d,
  t.total_30d_ago AS total_assets_30d_ago,
  GREATEST(t.total_30d_ago - t.total_now, 0) AS balance_outflow_30d,
  COALESCE(b.symbols, 0) AS equity_position_count,
  l.market_value / NULLIF(b.market_value, 0) AS largest_position_share,
  h.hhi AS position_sector_hhi,
  b.below_cost_value / NULLIF(b.market_value, 0) AS unrealised_loss_position_share,
  b.deep_below_cost_value / NULLIF(b.market_value, 0) AS deep_loss_position_share
FROM population p
JOIN asset_totals t ON t.customer_key = p.customer_key
LEFT JOIN book b ON b.customer_key = p.customer_key
LEFT JOIN largest_symbol l ON l.customer_key = p.customer_key
LEFT JOIN sector_concentration h ON h.customer_key = p.customer_key
