-- Activity: the actions a customer can only take while logged in (trades, wealth transactions,
-- questionnaires, KYC updates), counted in distinct event dates.
WITH events AS (
  SELECT customer_key, trade_date AS event_date FROM customer_trades
  UNION ALL
  SELECT customer_key, txn_date AS event_date FROM customer_wealth_txns
  UNION ALL
  SELECT customer_key, assessed_date AS event_date FROM customer_assessments
  UNION ALL
  SELECT customer_key, updated_date AS event_date FROM kyc_rows
),
activity AS (
  SELECT
    customer_key,
    COUNT(DISTINCT CASE WHEN IN_WINDOW(event_date, 30) THEN event_date END) AS days_30d,
    COUNT(DISTINCT CASE WHEN IN_WINDOW(event_date, 90) AND NOT IN_WINDOW(event_date, 30)
                        THEN event_date END) AS days_prev_60d,
    MAX(event_date) AS last_event_date
  FROM events
  GROUP BY customer_key
),
trading AS (
  SELECT customer_key, MAX(trade_date) AS last_trade_date
  FROM customer_trades
  GROUP BY customer_key
)
SELECT
  p.customer_key,
  COALESCE(a.days_30d, 0) AS active_days_30d,
  COALESCE(a.days_prev_60d, 0) AS active_days_prev_60d,
  (CAST(a.days_30d AS DOUBLE) / 30) / (CAST(NULLIF(a.days_prev_60d, 0) AS DOUBLE) / 60) - 1
    AS active_days_trend_30d_vs_prev_60d,
  DATEDIFF({as_of}, t.last_trade_date) AS days_since_last_trade,
  DATEDIFF({as_of}, a.last_event_date) AS days_since_last_activity
FROM population p
LEFT JOIN activity a ON a.customer_key = p.customer_key
LEFT JOIN trading t ON t.customer_key = p.customer_key
