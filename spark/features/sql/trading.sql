-- Trading behaviour over the 7/30/90-day windows, from the customer's fills (see shared/fills).
WITH activity AS (
  SELECT
    customer_key,
    SUM(CASE WHEN in_7d THEN 1 ELSE 0 END) AS fills_7d,
    SUM(CASE WHEN in_30d THEN 1 ELSE 0 END) AS fills_30d,
    COUNT(*) AS fills_90d,
    EXACT_SUM(CASE WHEN in_7d THEN amount ELSE 0 END) AS amount_7d,
    EXACT_SUM(CASE WHEN in_30d THEN amount ELSE 0 END) AS amount_30d,
    EXACT_SUM(amount) AS amount_90d,
    EXACT_SUM(CASE WHEN side = 'BUY' THEN amount ELSE 0 END) AS bought_90d,
    EXACT_SUM(CASE WHEN side = 'SELL' THEN amount ELSE 0 END) AS sold_90d,
    COUNT(DISTINCT CASE WHEN in_7d THEN trade_date END) AS days_7d,
    COUNT(DISTINCT CASE WHEN in_30d THEN trade_date END) AS days_30d,
    COUNT(DISTINCT trade_date) AS days_90d,
    COUNT(DISTINCT symbol) AS symbols_90d,
    SUM(CASE WHEN side = 'SELL' AND cost_basis IS NOT NULL THEN 1 ELSE 0 END) AS matched_sells,
    SUM(CASE WHEN side = 'SELL' AND price > cost_basis THEN 1 ELSE 0 END) AS winning_sells,
    EXACT_SUM(CASE WHEN side = 'SELL' AND cost_basis IS NOT NULL
             THEN (price - cost_basis) * quantity ELSE 0 END) AS realised_pnl,
    SUM(CASE WHEN in_round_trip THEN 1 ELSE 0 END) AS round_trip_fills,
    EXACT_SUM(CASE WHEN is_margin THEN amount ELSE 0 END) AS margin_amount,
    SUM(CASE WHEN channel = 'app' THEN 1 ELSE 0 END) AS app_fills
  FROM fills
  GROUP BY customer_key
),
before_30d AS (
  SELECT customer_key, COUNT(*) AS fills_prev_60d
  FROM customer_trades
  WHERE IN_WINDOW(trade_date, 90) AND NOT IN_WINDOW(trade_date, 30)
  GROUP BY customer_key
),
round_trips AS (
  SELECT
    customer_key,
    SUM(CASE WHEN in_30d THEN 1 ELSE 0 END) AS round_trips_30d,
    COUNT(*) AS round_trips_90d
  FROM (SELECT DISTINCT customer_key, symbol, trade_date, in_30d FROM fills WHERE in_round_trip) r
  GROUP BY customer_key
),
sector_amounts AS (
  SELECT customer_key, sector, EXACT_SUM(amount) AS amount
  FROM fills
  GROUP BY customer_key, sector
),
sectors AS (
  -- One row per sector and customer: each pivoted SUM adds one amount to zeros, exactly.
  SELECT
    s.customer_key,
    SUM(CASE WHEN s.sector = 'technology' THEN s.amount ELSE 0 END) AS technology,
    SUM(CASE WHEN s.sector = 'finance' THEN s.amount ELSE 0 END) AS finance,
    SUM(CASE WHEN s.sector = 'consumer' THEN s.amount ELSE 0 END) AS consumer,
    SUM(CASE WHEN s.sector = 'healthcare' THEN s.amount ELSE 0 END) AS healthcare,
    SUM(CASE WHEN s.sector = 'energy' THEN s.amount ELSE 0 END) AS energy,
    SUM(CASE WHEN s.sector = 'industrials' THEN s.amount ELSE 0 END) AS industrials,
    SUM(CASE WHEN s.sector = 'materials' THEN s.amount ELSE 0 END) AS materials,
    SUM(CASE WHEN s.sector = 'real_estate' THEN s.amount ELSE 0 END) AS real_estate,
    SUM(CASE WHEN s.sector = 'utilities' THEN s.amount ELSE 0 END) AS utilities,
    SUM(CASE WHEN s.sector = 'telecom' THEN s.amount ELSE 0 END) AS telecom,
    EXACT_SUM(s.amount * s.amount) AS amount_squares
  FROM sector_amounts s
  GROUP BY s.customer_key
),
ranked_sectors AS (
  -- Ties go to the alphabetically first sector (exact sums: equal amounts are equal).
  SELECT
    customer_key,
    sector,
    ROW_NUMBER() OVER (PARTITION BY customer_key ORDER BY amount DESC, sector ASC)
      AS amount_rank
  FROM sector_amounts
),
last_buys AS (
  SELECT s.customer_key, s.trade_id, s.dt, s.trade_date, MAX(b.trade_time) AS last_buy_time
  FROM fills s
  JOIN customer_trades b
    ON b.customer_key = s.customer_key
    AND b.symbol = s.symbol
    AND b.side = 'BUY'
    AND b.trade_time <= s.trade_time
  WHERE s.side = 'SELL'
  GROUP BY s.customer_key, s.trade_id, s.dt, s.trade_date
),
holding_periods AS (
  SELECT customer_key, AVG(DATEDIFF(trade_date, CAST(last_buy_time AS DATE))) AS avg_days
  FROM last_buys
  GROUP BY customer_key
)
SELECT
  p.customer_key,
  COALESCE(a.fills_7d, 0) AS trade_count_7d,
  COALESCE(a.fills_30d, 0) AS trade_count_30d,
  COALESCE(a.fills_90d, 0) AS trade_count_90d,
  COALESCE(b.fills_prev_60d, 0) AS trade_count_prev_60d,
  COALESCE(a.amount_7d, 0) AS trade_amount_7d,
  COALESCE(a.amount_30d, 0) AS trade_amount_30d,
  COALESCE(a.amount_90d, 0) AS trade_amount_90d,
  COALESCE(a.amount_7d, 0) / NULLIF(t.avg_7d, 0) AS turnover_ratio_7d,
  COALESCE(a.amount_30d, 0) / NULLIF(t.avg_30d, 0) AS turnover_ratio_30d,
  COALESCE(a.amount_90d, 0) / NULLIF(t.avg_90d, 0) AS turnover_ratio_90d,
  COALESCE(a.bought_90d, 0) AS buy_amount_90d,
  COALESCE(a.sold_90d, 0) AS sell_amount_90d,
  COALESCE(a.days_7d, 0) AS active_trading_days_7d,
  COALESCE(a.days_30d, 0) AS active_trading_days_30d,
  COALESCE(a.days_90d, 0) AS active_trading_days_90d,
  a.amount_90d / NULLIF(a.fills_90d, 0) AS avg_trade_amount_90d,
  COALESCE(a.symbols_90d, 0) AS distinct_symbols_traded_90d,
  CAST(a.winning_sells AS DOUBLE) / NULLIF(a.matched_sells, 0) AS realised_win_rate_90d,
  COALESCE(a.realised_pnl, 0) AS realised_pnl_90d,
  h.avg_days AS avg_holding_period_days_90d,
  COALESCE(r.round_trips_30d, 0) AS same_day_round_trips_30d,
  COALESCE(r.round_trips_90d, 0) AS same_day_round_trips_90d,
  CAST(a.round_trip_fills AS DOUBLE) / NULLIF(a.fills_90d, 0) AS intraday_trade_share_90d,
  a.margin_amount / NULLIF(a.amount_90d, 0) AS margin_trade_share_90d,
  CAST(a.app_fills AS DOUBLE) / NULLIF(a.fills_90d, 0) AS app_trade_share_90d,
  s.technology / NULLIF(a.amount_90d, 0) AS sector_share_technology_90d,
  s.finance / NULLIF(a.amount_90d, 0) AS sector_share_finance_90d,
  s.consumer / NULLIF(a.amount_90d, 0) AS sector_share_consumer_90d,
  s.healthcare / NULLIF(a.amount_90d, 0) AS sector_share_healthcare_90d,
  s.energy / NULLIF(a.amount_90d, 0) AS sector_share_energy_90d,
  s.industrials / NULLIF(a.amount_90d, 0) AS sector_share_industrials_90d,
  s.materials / NULLIF(a.amount_90d, 0) AS sector_share_materials_90d,
  s.real_estate / NULLIF(a.amount_90d, 0) AS sector_share_real_estate_90d,
  s.utilities / NULLIF(a.amount_90d, 0) AS sector_share_utilities_90d,
  s.telecom / NULLIF(a.amount_90d, 0) AS sector_share_telecom_90d,
  s.amount_squares / NULLIF(a.amount_90d * a.amount_90d, 0) AS sector_hhi_90d,
  top.sector AS top_sector_90d
FROM population p
JOIN asset_totals t ON t.customer_key = p.customer_key
LEFT JOIN activity a ON a.customer_key = p.customer_key
LEFT JOIN before_30d b ON b.customer_key = p.customer_key
LEFT JOIN round_trips r ON r.customer_key = p.customer_key
LEFT JOIN sectors s ON s.customer_key = p.customer_key
LEFT JOIN ranked_sectors top ON top.customer_key = p.customer_key AND top.amount_rank = 1
LEFT JOIN holding_periods h ON h.customer_key = p.customer_key
