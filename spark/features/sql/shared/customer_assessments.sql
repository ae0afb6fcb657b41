-- Every risk questionnaire of the customers submitted on or before as_of; level C1..C5 -> 1..5.
SELECT
  a.customer_key,
  r.assessment_id,
  CAST(SUBSTRING(r.risk_level, 2) AS INT) AS risk_level,
  r.score,
  r.assessed_at,
  CAST(r.assessed_at AS DATE) AS assessed_date,
  r.expires_on
FROM src_risk_assessments r
JOIN accounts a ON a.account_id = r.account_id
WHERE CAST(r.assessed_at AS DATE) <= {as_of}
