-- The 90 calendar days of the 90d window (as_of - 89 .. as_of), each with what the features
-- look up per day: the snapshots in force (snap(T, day) and snap(positions, day - 1)), and the
-- market's view of the day and of the trading date before it.
WITH digits AS (
  SELECT n FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS digit(n)
),
days AS (
  SELECT DATE_SUB({as_of}, tens.n * 10 + ones.n) AS day
  FROM digits tens
  CROSS JOIN digits ones
  WHERE tens.n * 10 + ones.n < 90
),
position_snaps AS (
  SELECT
    d.day,
    MAX(s.snap_date) AS pos_snap,
    MAX(CASE WHEN s.snap_date < d.day THEN s.snap_date END) AS pos_snap_before
  FROM days d
  LEFT JOIN position_dates s ON s.snap_date <= d.day
  GROUP BY d.day
),
holding_snaps AS (
  SELECT d.day, MAX(s.snap_date) AS hold_snap
  FROM days d
  LEFT JOIN holding_dates s ON s.snap_date <= d.day
  GROUP BY d.day
),
previous_trading_dates AS (
  SELECT d.day, MAX(t.trade_date) AS prev_trade_date
  FROM days d
  LEFT JOIN trading_days t ON t.trade_date < d.day
  GROUP BY d.day
)
SELECT
  d.day,
  IN_WINDOW(d.day, 7) AS in_7d,
  IN_WINDOW(d.day, 30) AS in_30d,
  ps.pos_snap,
  ps.pos_snap_before,
  hs.hold_snap,
  t.trade_date IS NOT NULL AS is_trading_day,
  COALESCE(t.is_drawdown, FALSE) AS is_drawdown,
  t.second_next_trade_date,
  pt.prev_trade_date,
  COALESCE(prev.is_rally, FALSE) AS prev_is_rally
FROM days d
JOIN position_snaps ps ON ps.day = d.day
JOIN holding_snaps hs ON hs.day = d.day
JOIN previous_trading_dates pt ON pt.day = d.day
LEFT JOIN trading_days t ON t.trade_date = d.day
LEFT JOIN trading_days prev ON prev.trade_date = pt.prev_trade_date
