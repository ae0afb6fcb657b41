-- Demographics from the customer's KYC: the latest record (date <= as_of) and, for the opening
-- channel, the earliest. Several records at the same instant (two accounts of one person
-- updated together) are ordered by account id, then delivery, so the choice is stable.
WITH ranked AS (
  SELECT
    customer_key,
    birth_date,
    open_date,
    city,
    gender,
    channel,
    ROW_NUMBER() OVER (
      PARTITION BY customer_key ORDER BY updated_at DESC, account_id DESC, dt DESC
    ) AS latest_rank,
    ROW_NUMBER() OVER (
      PARTITION BY customer_key ORDER BY updated_at ASC, account_id ASC, dt ASC
    ) AS earliest_rank
  FROM kyc_rows
)
SELECT
  kyc.customer_key,
  FLOOR(MONTHS_BETWEEN({as_of}, kyc.birth_date) / 12) AS age_years,
  YEAR(kyc.birth_date) AS birth_year,
  YEAR(kyc.birth_date) BETWEEN 1997 AND 2012 AS is_gen_z,
  DATEDIFF({as_of}, kyc.open_date) AS account_age_days,
  kyc.city,
  kyc.gender,
  first_record.channel AS open_channel
FROM ranked kyc
JOIN ranked first_record
  ON first_record.customer_key = kyc.customer_key AND first_record.earliest_rank = 1
WHERE kyc.latest_rank = 1
