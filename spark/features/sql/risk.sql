-- Risk level and suitability: the customer's assessment (latest assessed_at, ties by the
-- greatest assessment_id) against the product risk levels of what they hold and subscribe.
WITH ranked AS (
  SELECT
    customer_key,
    risk_level,
    score,
    assessed_date,
    expires_on,
    ROW_NUMBER() OVER (
      PARTITION BY customer_key ORDER BY assessed_at DESC, assessment_id DESC
    ) AS recency
  FROM customer_assessments
),
latest AS (
  SELECT * FROM ranked WHERE recency = 1
),
ranked_90d_ago AS (
  SELECT
    customer_key,
    risk_level,
    ROW_NUMBER() OVER (
      PARTITION BY customer_key ORDER BY assessed_at DESC, assessment_id DESC
    ) AS recency
  FROM customer_assessments
  WHERE assessed_date <= DATE_SUB({as_of}, 90)
),
holdings AS (
  SELECT
    h.customer_key,
    MAX(h.risk_level) AS max_risk_level,
    EXACT_SUM(h.market_value * h.risk_level) AS risk_weighted_value,
    EXACT_SUM(h.market_value) AS market_value,
    -- A never-assessed customer (level NULL -> 0) is suitable for nothing.
    COUNT(DISTINCT CASE WHEN h.risk_level > COALESCE(l.risk_level, 0) THEN h.product_code END)
      AS above_level_products,
    EXACT_SUM(CASE WHEN h.risk_level > COALESCE(l.risk_level, 0) THEN h.market_value ELSE 0 END)
      AS above_level_value
  FROM wealth_now h
  LEFT JOIN latest l ON l.customer_key = h.customer_key
  GROUP BY h.customer_key
),
subscriptions AS (
  SELECT
    t.customer_key,
    p.risk_level AS product_level,
    a.risk_level AS customer_level,
    ROW_NUMBER() OVER (
      PARTITION BY t.customer_key, t.txn_id, t.dt
      ORDER BY a.assessed_at DESC NULLS LAST, a.assessment_id DESC NULLS LAST
    ) AS recency
  FROM customer_wealth_txns t
  LEFT JOIN products p ON p.product_code = t.product_code
  LEFT JOIN customer_assessments a
    ON a.customer_key = t.customer_key AND a.assessed_at <= t.txn_time
  WHERE t.txn_type = 'subscribe' AND IN_WINDOW(t.txn_date, 90)
),
unsuitable_subscriptions AS (
  SELECT customer_key, COUNT(*) AS subscriptions
  FROM subscriptions
  WHERE recency = 1 AND product_level > COALESCE(customer_level, 0)
  GROUP BY customer_key
)
SELECT
  p.customer_key,
  l.risk_level AS customer_risk_level,
  l.score AS risk_assessment_score,
  DATEDIFF(l.expires_on, {as_of}) AS risk_assessment_days_to_expiry,
  DATEDIFF({as_of}, l.assessed_date) AS days_since_risk_assessment,
  l.risk_level - old.risk_level AS risk_level_change_90d,
  h.max_risk_level AS max_product_risk_level_held,
  h.risk_weighted_value / NULLIF(h.market_value, 0) AS wealth_risk_level_weighted,
  COALESCE(h.above_level_products, 0) AS holdings_above_risk_level_count,
  COALESCE(h.above_level_value, 0) AS holdings_above_risk_level_value,
  COALESCE(u.subscriptions, 0) AS subscriptions_above_risk_level_90d
FROM population p
LEFT JOIN latest l ON l.customer_key = p.customer_key
LEFT JOIN ranked_90d_ago old ON old.customer_key = p.customer_key AND old.recency = 1
LEFT JOIN holdings h ON h.customer_key = p.customer_key
LEFT JOIN unsuitable_subscriptions u ON u.customer_key = p.customer_key
