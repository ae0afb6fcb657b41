-- The customers' KYC records written on or before as_of.
SELECT
  a.customer_key,
  c.account_id,
  c.birth_date,
  c.gender,
  c.city,
  c.open_date,
  c.channel,
  c.updated_at,
  CAST(c.updated_at AS DATE) AS updated_date,
  c.dt
FROM src_customers c
JOIN accounts a ON a.account_id = c.account_id
WHERE CAST(c.updated_at AS DATE) <= {as_of}
