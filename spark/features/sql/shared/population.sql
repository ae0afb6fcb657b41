-- One row per customer with a KYC record dated on or before as_of: the rows of the table.
SELECT DISTINCT customer_key
FROM kyc_rows
