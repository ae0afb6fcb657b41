-- Brokerage accounts of each customer, as identity resolution saw them at as_of.
SELECT DISTINCT customer_key, account_id
FROM src_customer_accounts
WHERE customer_key IS NOT NULL
