-- The product catalogue as of as_of: per product the row with the latest updated_at dated on or
-- before as_of (the same row re-delivered on several days: the latest delivery).
SELECT
  product_code,
  product_type,
  currency,
  CAST(SUBSTRING(risk_level, 2) AS INT) AS risk_level
FROM (
  SELECT
    product_code,
    product_type,
    currency,
    risk_level,
    ROW_NUMBER() OVER (PARTITION BY product_code ORDER BY updated_at DESC, dt DESC) AS version_rank
  FROM src_wealth_products
  WHERE CAST(updated_at AS DATE) <= {as_of}
) versions
WHERE version_rank = 1
