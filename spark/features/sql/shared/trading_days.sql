-- The market calendar up to as_of: every trading date with the index return and whether it was
-- a drawdown (<= -3%) or rally (>= +3%) day. The vendor repeats the index on every quote row.
WITH daily AS (
  SELECT trade_date, MAX(index_close) AS index_close
  FROM src_market_quotes
  WHERE trade_date <= {as_of}
  GROUP BY trade_date
),
ordered AS (
  SELECT
    trade_date,
    index_close,
    LAG(trade_date) OVER (ORDER BY trade_date) AS prev_trade_date,
    LAG(index_close) OVER (ORDER BY trade_date) AS prev_index_close,
    -- n of a drawdown day: only dates up to as_of exist here, so n <= as_of by construction.
    LEAD(trade_date, 2) OVER (ORDER BY trade_date) AS second_next_trade_date
  FROM daily
)
SELECT
  trade_date,
  prev_trade_date,
  second_next_trade_date,
  index_close / prev_index_close - 1 AS index_return,
  COALESCE(index_close / prev_index_close - 1 <= -0.03, FALSE) AS is_drawdown,
  COALESCE(index_close / prev_index_close - 1 >= 0.03, FALSE) AS is_rally
FROM ordered
