-- Held quantity and cost basis per (customer, snapshot date, symbol). A symbol held in several
-- accounts of one customer gets the quantity-weighted average cost; a single cost is kept as
-- delivered, so comparisons with a fill price are exact.
SELECT
  customer_key,
  position_date,
  symbol,
  SUM(quantity) AS quantity,
  CASE
    WHEN MIN(cost_basis) = MAX(cost_basis) THEN MIN(cost_basis)
    ELSE EXACT_SUM(quantity * cost_basis) / SUM(quantity)
  END AS cost_basis
FROM positions_held
GROUP BY customer_key, position_date, symbol
