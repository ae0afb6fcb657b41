-- Every wealth transaction of the customers dated on or before as_of.
SELECT
  a.customer_key,
  w.txn_id,
  w.product_code,
  w.txn_type,
  w.amount,
  w.txn_time,
  CAST(w.txn_time AS DATE) AS txn_date,
  w.dt
FROM src_wealth_transactions w
JOIN accounts a ON a.account_id = w.account_id
WHERE CAST(w.txn_time AS DATE) <= {as_of}
