-- total_assets(d) of each customer summarised over the windows. A day counts once some
-- snapshot (of either table) exists on or before it. Days in force under the same pair of
-- snapshots have the same total, so each pair is valued once and weighted by its days.
-- Equity and wealth are summed apart and added last: total = equity + wealth exactly.
WITH counted_days AS (
  SELECT *
  FROM calendar
  WHERE pos_snap IS NOT NULL OR hold_snap IS NOT NULL
),
snapshot_pairs AS (
  SELECT
    pos_snap,
    hold_snap,
    SUM(CASE WHEN in_7d THEN 1 ELSE 0 END) AS days_7d,
    SUM(CASE WHEN in_30d THEN 1 ELSE 0 END) AS days_30d,
    COUNT(*) AS days_90d,
    MAX(CASE WHEN day = {as_of} THEN 1 ELSE 0 END) AS covers_as_of,
    MAX(CASE WHEN day = DATE_SUB({as_of}, 30) THEN 1 ELSE 0 END) AS covers_30d_ago
  FROM counted_days
  GROUP BY pos_snap, hold_snap
),
window_days AS (
  SELECT SUM(days_7d) AS days_7d, SUM(days_30d) AS days_30d, SUM(days_90d) AS days_90d
  FROM snapshot_pairs
),
equity AS (
  SELECT customer_key, position_date AS snap_date, EXACT_SUM(market_value) AS value
  FROM positions_held
  GROUP BY customer_key, position_date
),
wealth AS (
  SELECT customer_key, holding_date AS snap_date, EXACT_SUM(market_value) AS value
  FROM wealth_held
  GROUP BY customer_key, holding_date
),
pair_values AS (
  -- Per customer and pair one equity and one wealth value, each summed with zeros: exact.
  SELECT
    customer_key, pos_snap, hold_snap, days_7d, days_30d, days_90d, covers_as_of,
    covers_30d_ago,
    SUM(equity) AS equity,
    SUM(wealth) AS wealth
  FROM (
    SELECT p.*, e.customer_key, e.value AS equity, CAST(0 AS DOUBLE) AS wealth
    FROM snapshot_pairs p
    JOIN equity e ON e.snap_date = p.pos_snap
    UNION ALL
    SELECT p.*, w.customer_key, CAST(0 AS DOUBLE) AS equity, w.value AS wealth
    FROM snapshot_pairs p
    JOIN wealth w ON w.snap_date = p.hold_snap
  ) parts
  GROUP BY
    customer_key, pos_snap, hold_snap, days_7d, days_30d, days_90d, covers_as_of,
    covers_30d_ago
)
SELECT
  p.customer_key,
  COALESCE(MAX(CASE WHEN v.covers_as_of = 1 THEN v.equity END), 0) AS equity_now,
  COALESCE(MAX(CASE WHEN v.covers_as_of = 1 THEN v.wealth END), 0) AS wealth_now,
  COALESCE(MAX(CASE WHEN v.covers_as_of = 1 THEN v.equity + v.wealth END), 0) AS total_now,
  COALESCE(MAX(CASE WHEN v.covers_30d_ago = 1 THEN v.equity + v.wealth END), 0)
    AS total_30d_ago,
  COALESCE(EXACT_SUM((v.equity + v.wealth) * v.days_7d) / NULLIF(w.days_7d, 0), 0) AS avg_7d,
  COALESCE(EXACT_SUM((v.equity + v.wealth) * v.days_30d) / NULLIF(w.days_30d, 0), 0) AS avg_30d,
  COALESCE(EXACT_SUM((v.equity + v.wealth) * v.days_90d) / NULLIF(w.days_90d, 0), 0) AS avg_90d,
  COALESCE(MAX(v.equity + v.wealth), 0) AS max_90d
FROM population p
CROSS JOIN window_days w
LEFT JOIN pair_values v ON v.customer_key = p.customer_key
GROUP BY p.customer_key, w.days_7d, w.days_30d, w.days_90d
