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
timeline AS (
  -- The window days and every snapshot and trading date on one line: a running MAX then
  -- finds the latest date of each kind on or before (or strictly before) each day.
  SELECT day AS on_date, 1 AS is_day, CAST(NULL AS DATE) AS pos_date,
         CAST(NULL AS DATE) AS hold_date, CAST(NULL AS DATE) AS trade_date
  FROM days
  UNION ALL
  SELECT snap_date, 0, snap_date, CAST(NULL AS DATE), CAST(NULL AS DATE) FROM position_dates
  UNION ALL
  SELECT snap_date, 0, CAST(NULL AS DATE), snap_date, CAST(NULL AS DATE) FROM holding_dates
  UNION ALL
  SELECT trade_date, 0, CAST(NULL AS DATE), CAST(NULL AS DATE), trade_date FROM trading_days
),
running AS (
  SELECT
    on_date,
    is_day,
    -- Dates of the day itself sort before it (is_day last): "on or before".
    MAX(pos_date) OVER on_or_before AS pos_snap,
    MAX(hold_date) OVER on_or_before AS hold_snap,
    -- ... and after it (is_day first): "strictly before".
    MAX(pos_date) OVER strictly_before AS pos_snap_before,
    MAX(trade_date) OVER strictly_before AS prev_trade_date
  FROM timeline
  WINDOW
    on_or_before AS (ORDER BY on_date, is_day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
    strictly_before AS (
      ORDER BY on_date, is_day DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    )
)
SELECT
  r.on_date AS day,
  IN_WINDOW(r.on_date, 7) AS in_7d,
  IN_WINDOW(r.on_date, 30) AS in_30d,
  r.pos_snap,
  r.pos_snap_before,
  r.hold_snap,
  t.trade_date IS NOT NULL AS is_trading_day,
  COALESCE(t.is_drawdown, FALSE) AS is_drawdown,
  t.second_next_trade_date,
  r.prev_trade_date,
  COALESCE(prev.is_rally, FALSE) AS prev_is_rally
FROM running r
LEFT JOIN trading_days t ON t.trade_date = r.on_date
LEFT JOIN trading_days prev ON prev.trade_date = r.prev_trade_date
WHERE r.is_day = 1
