-- Surveillance signals: the customer's daily norms, round trips, wash-like pairs, trading into
-- the close and concentration, from the fills of the 90d window.
WITH daily AS (
  SELECT customer_key, trade_date, in_7d, in_30d, COUNT(*) AS fills, EXACT_SUM(amount) AS amount
  FROM fills
  GROUP BY customer_key, trade_date, in_7d, in_30d
),
daily_norms AS (
  SELECT
    customer_key,
    MAX(CASE WHEN in_7d THEN fills END) AS max_fills_7d,
    MAX(CASE WHEN in_30d THEN fills END) AS max_fills_30d,
    MEDIAN(CAST(fills AS DOUBLE)) AS median_fills_90d,
    MAX(CASE WHEN in_7d THEN amount END) AS max_amount_7d,
    MEDIAN(amount) AS median_amount_90d
  FROM daily
  GROUP BY customer_key
),
round_trip_legs AS (
  SELECT
    customer_key,
    symbol,
    trade_date,
    SUM(CASE WHEN side = 'BUY' THEN quantity ELSE 0 END) AS bought,
    SUM(CASE WHEN side = 'SELL' THEN quantity ELSE 0 END) AS sold,
    EXACT_SUM(CASE WHEN side = 'BUY' THEN amount ELSE 0 END) AS buy_amount,
    EXACT_SUM(CASE WHEN side = 'SELL' THEN amount ELSE 0 END) AS sell_amount
  FROM fills
  WHERE in_round_trip
  GROUP BY customer_key, symbol, trade_date
),
wash_like AS (
  SELECT customer_key, COUNT(*) AS round_trips
  FROM round_trip_legs
  WHERE ABS(bought - sold) <= 0.1 * GREATEST(bought, sold)
    AND ABS(sell_amount / sold - buy_amount / bought) <= 0.01 * (buy_amount / bought)
  GROUP BY customer_key
),
fill_summary AS (
  SELECT
    customer_key,
    EXACT_SUM(CASE WHEN in_round_trip THEN amount ELSE 0 END) AS round_trip_amount,
    SUM(CASE WHEN in_30d THEN 1 ELSE 0 END) AS fills_30d,
    EXACT_SUM(CASE WHEN in_30d THEN amount ELSE 0 END) AS amount_30d,
    -- 14:50:00 to 15:00:00 inclusive, in seconds of the day (Shanghai wall time).
    SUM(CASE WHEN in_30d
              AND HOUR(trade_time) * 3600 + MINUTE(trade_time) * 60 + SECOND(trade_time)
                  BETWEEN 53400 AND 54000
             THEN 1 ELSE 0 END) AS closing_fills_30d,
    SUM(CASE WHEN in_30d AND amount >= 1000000 THEN 1 ELSE 0 END) AS large_fills_30d
  FROM fills
  GROUP BY customer_key
),
top_symbol AS (
  SELECT customer_key, MAX(amount) AS amount
  FROM (
    SELECT customer_key, symbol, EXACT_SUM(amount) AS amount
    FROM fills
    WHERE in_30d
    GROUP BY customer_key, symbol
  ) symbols
  GROUP BY customer_key
)
SELECT
  p.customer_key,
  COALESCE(d.max_fills_7d, 0) AS max_daily_trade_count_7d,
  COALESCE(d.max_fills_30d, 0) AS max_daily_trade_count_30d,
  d.median_fills_90d AS median_daily_trade_count_90d,
  COALESCE(d.max_amount_7d, 0) AS max_daily_trade_amount_7d,
  d.median_amount_90d AS median_daily_trade_amount_90d,
  COALESCE(s.round_trip_amount, 0) AS same_day_round_trip_amount_90d,
  COALESCE(w.round_trips, 0) AS wash_like_round_trips_90d,
  CAST(s.closing_fills_30d AS DOUBLE) / NULLIF(s.fills_30d, 0) AS closing_window_trade_share_30d,
  t.amount / NULLIF(s.amount_30d, 0) AS max_symbol_trade_share_30d,
  COALESCE(s.large_fills_30d, 0) AS large_trade_count_30d
FROM population p
LEFT JOIN daily_norms d ON d.customer_key = p.customer_key
LEFT JOIN fill_summary s ON s.customer_key = p.customer_key
LEFT JOIN wash_like w ON w.customer_key = p.customer_key
LEFT JOIN top_symbol t ON t.customer_key = p.customer_key
