-- Behavioural finance over the 90d window: selling and buying around market drawdown and rally
-- days, chasing, exposure cuts, and Odean's disposition effect.
WITH window_trading_days AS (
  SELECT day, is_drawdown, pos_snap_before
  FROM calendar
  WHERE is_trading_day
),
market AS (
  SELECT
    COALESCE(SUM(CASE WHEN is_drawdown THEN 1 ELSE 0 END), 0) AS drawdown_days,
    COALESCE(SUM(CASE WHEN is_drawdown THEN 0 ELSE 1 END), 0) AS ordinary_days
  FROM window_trading_days
),
pre_day_values AS (
  -- The pre-day portfolio value of each trading day, summed over drawdown and ordinary days.
  SELECT
    h.customer_key,
    EXACT_SUM(CASE WHEN d.is_drawdown THEN h.market_value ELSE 0 END) AS drawdown_base,
    EXACT_SUM(CASE WHEN d.is_drawdown THEN 0 ELSE h.market_value END) AS ordinary_base
  FROM window_trading_days d
  JOIN positions_held h ON h.position_date = d.pos_snap_before
  GROUP BY h.customer_key
),
flows AS (
  SELECT
    f.customer_key,
    EXACT_SUM(CASE WHEN f.is_drawdown AND f.side = 'SELL' THEN f.amount ELSE 0 END) AS drawdown_sold,
    EXACT_SUM(CASE WHEN f.is_drawdown AND f.side = 'BUY' THEN f.amount ELSE 0 END) AS drawdown_bought,
    EXACT_SUM(CASE WHEN f.is_trading_day AND NOT f.is_drawdown AND f.side = 'SELL'
             THEN f.amount ELSE 0 END) AS ordinary_sold,
    SUM(CASE WHEN f.is_drawdown THEN 1 ELSE 0 END) AS drawdown_fills,
    SUM(CASE WHEN f.is_trading_day AND NOT f.is_drawdown THEN 1 ELSE 0 END) AS ordinary_fills,
    EXACT_SUM(CASE WHEN f.side = 'BUY' THEN f.amount ELSE 0 END) AS bought,
    EXACT_SUM(CASE WHEN f.side = 'BUY' AND before_quote.symbol_return >= 0.05
             THEN f.amount ELSE 0 END) AS bought_after_symbol_rally,
    EXACT_SUM(CASE WHEN f.side = 'BUY' AND f.prev_is_rally THEN f.amount ELSE 0 END)
      AS bought_after_market_rally,
    SUM(CASE WHEN f.side = 'BUY' AND day_quote.symbol_return >= 0.095 THEN 1 ELSE 0 END)
      AS limit_up_buys
  FROM fills f
  LEFT JOIN quotes before_quote
    ON before_quote.symbol = f.symbol AND before_quote.trade_date = f.prev_trade_date
  LEFT JOIN quotes day_quote
    ON day_quote.symbol = f.symbol AND day_quote.trade_date = f.trade_date
  GROUP BY f.customer_key
),
drawdown_legs AS (
  -- p = the trading date before the drawdown day, n = the second trading date after it.
  SELECT day, prev_trade_date AS p_date, second_next_trade_date AS n_date
  FROM calendar
  WHERE is_drawdown AND prev_trade_date IS NOT NULL AND second_next_trade_date IS NOT NULL
),
leg_snapshots AS (
  SELECT
    l.day,
    l.p_date,
    MAX(CASE WHEN s.snap_date <= l.p_date THEN s.snap_date END) AS p_snap,
    MAX(s.snap_date) AS n_snap
  FROM drawdown_legs l
  JOIN position_dates s ON s.snap_date <= l.n_date
  GROUP BY l.day, l.p_date
),
leg_quantities AS (
  -- Held shares per symbol at p and at n; their difference is exact, so an unchanged book
  -- gives a change of exactly 0 in every engine.
  SELECT customer_key, day, p_date, symbol,
         SUM(p_quantity) AS p_quantity, SUM(n_quantity) AS n_quantity
  FROM (
    SELECT c.customer_key, s.day, s.p_date, c.symbol,
           c.quantity AS p_quantity, CAST(0 AS BIGINT) AS n_quantity
    FROM leg_snapshots s
    JOIN position_costs c ON c.position_date = s.p_snap
    UNION ALL
    SELECT c.customer_key, s.day, s.p_date, c.symbol,
           CAST(0 AS BIGINT) AS p_quantity, c.quantity AS n_quantity
    FROM leg_snapshots s
    JOIN position_costs c ON c.position_date = s.n_snap
  ) legs
  GROUP BY customer_key, day, p_date, symbol
),
exposure_changes AS (
  SELECT
    q.customer_key,
    q.day,
    EXACT_SUM(q.p_quantity * p_quote.close) AS base,
    EXACT_SUM((q.n_quantity - q.p_quantity) * p_quote.close) AS change
  FROM leg_quantities q
  JOIN quotes p_quote ON p_quote.symbol = q.symbol AND p_quote.trade_date = q.p_date
  GROUP BY q.customer_key, q.day
),
exposure AS (
  -- Three trading days from p to n.
  SELECT customer_key, EXACT_SUM(change / base / 3, 15) / COUNT(*) AS change_per_day
  FROM exposure_changes
  WHERE base > 0
  GROUP BY customer_key
),
selling_days AS (
  SELECT DISTINCT customer_key, trade_date, pos_snap_before
  FROM fills
  WHERE side = 'SELL'
),
sold_symbols AS (
  SELECT DISTINCT customer_key, trade_date, symbol
  FROM fills
  WHERE side = 'SELL'
),
realised AS (
  SELECT
    customer_key,
    trade_date,
    COUNT(DISTINCT CASE WHEN price > cost_basis THEN symbol END) AS gains,
    COUNT(DISTINCT CASE WHEN price < cost_basis THEN symbol END) AS losses
  FROM fills
  WHERE side = 'SELL'
  GROUP BY customer_key, trade_date
),
paper AS (
  -- Held the day before, not sold that day, valued at that day's close.
  SELECT
    d.customer_key,
    d.trade_date,
    SUM(CASE WHEN q.close > c.cost_basis THEN 1 ELSE 0 END) AS gains,
    SUM(CASE WHEN q.close < c.cost_basis THEN 1 ELSE 0 END) AS losses
  FROM selling_days d
  JOIN position_costs c
    ON c.customer_key = d.customer_key AND c.position_date = d.pos_snap_before
  LEFT JOIN sold_symbols s
    ON s.customer_key = d.customer_key AND s.trade_date = d.trade_date AND s.symbol = c.symbol
  LEFT JOIN quotes q ON q.symbol = c.symbol AND q.trade_date = d.trade_date
  WHERE s.symbol IS NULL
  GROUP BY d.customer_key, d.trade_date
),
disposition AS (
  SELECT
    r.customer_key,
    SUM(r.gains) AS realised_gains,
    SUM(r.losses) AS realised_losses,
    SUM(COALESCE(pp.gains, 0)) AS paper_gains,
    SUM(COALESCE(pp.losses, 0)) AS paper_losses
  FROM realised r
  LEFT JOIN paper pp ON pp.customer_key = r.customer_key AND pp.trade_date = r.trade_date
  GROUP BY r.customer_key
),
ratios AS (
  SELECT
    customer_key,
    CAST(realised_gains AS DOUBLE) / NULLIF(realised_gains + paper_gains, 0) AS pgr,
    CAST(realised_losses AS DOUBLE) / NULLIF(realised_losses + paper_losses, 0) AS plr
  FROM disposition
)
SELECT
  p.customer_key,
  m.drawdown_days AS market_drawdown_days_90d,
  COALESCE(f.drawdown_sold, 0) / NULLIF(v.drawdown_base, 0) AS drawdown_sell_share_90d,
  COALESCE(f.ordinary_sold, 0) / NULLIF(v.ordinary_base, 0) AS normal_day_sell_share_90d,
  COALESCE(f.drawdown_bought, 0) / NULLIF(v.drawdown_base, 0) AS drawdown_buy_share_90d,
  e.change_per_day AS drawdown_exposure_change_per_day_90d,
  (CAST(COALESCE(f.drawdown_fills, 0) AS DOUBLE) / NULLIF(m.drawdown_days, 0))
    / (CAST(NULLIF(f.ordinary_fills, 0) AS DOUBLE) / NULLIF(m.ordinary_days, 0))
    AS drawdown_trade_intensity_ratio_90d,
  f.bought_after_symbol_rally / NULLIF(f.bought, 0) AS post_rally_buy_share_90d,
  f.bought_after_market_rally / NULLIF(f.bought, 0) AS market_rally_buy_share_90d,
  COALESCE(f.limit_up_buys, 0) AS limit_up_chase_buy_count_90d,
  r.pgr AS proportion_gains_realised_90d,
  r.plr AS proportion_losses_realised_90d,
  r.pgr - r.plr AS disposition_effect_90d
FROM population p
CROSS JOIN market m
LEFT JOIN pre_day_values v ON v.customer_key = p.customer_key
LEFT JOIN flows f ON f.customer_key = p.customer_key
LEFT JOIN exposure e ON e.customer_key = p.customer_key
LEFT JOIN ratios r ON r.customer_key = p.customer_key
