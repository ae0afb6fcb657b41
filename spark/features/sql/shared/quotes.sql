-- One closing quote per (symbol, trading date) up to as_of, with symbol_return. Quotes are a
-- snapshot feed: a row re-delivered later replaces the earlier delivery instead of doubling it.
SELECT
  symbol,
  trade_date,
  prev_close,
  close,
  close / prev_close - 1 AS symbol_return
FROM (
  SELECT
    symbol,
    trade_date,
    prev_close,
    close,
    ROW_NUMBER() OVER (PARTITION BY symbol, trade_date ORDER BY dt DESC) AS delivery_rank
  FROM src_market_quotes
  WHERE trade_date <= {as_of}
) delivered
WHERE delivery_rank = 1
