-- Wealth product mix at snap(wealth_holdings, as_of) and product flows over the windows.
WITH holdings AS (
  SELECT
    customer_key,
    EXACT_SUM(CASE WHEN product_type = 'fund' THEN market_value ELSE 0 END) AS fund_value,
    EXACT_SUM(CASE WHEN product_type = 'bond' THEN market_value ELSE 0 END) AS bond_value,
    EXACT_SUM(CASE WHEN product_type = 'structured' THEN market_value ELSE 0 END) AS structured_value,
    EXACT_SUM(CASE WHEN product_type = 'insurance' THEN market_value ELSE 0 END) AS insurance_value,
    EXACT_SUM(CASE WHEN currency IN ('USD', 'HKD') THEN market_value ELSE 0 END) AS foreign_value,
    COUNT(DISTINCT product_code) AS products
  FROM wealth_now
  GROUP BY customer_key
),
flows AS (
  SELECT
    customer_key,
    SUM(CASE WHEN txn_type = 'subscribe' AND IN_WINDOW(txn_date, 90) THEN 1 ELSE 0 END)
      AS subscriptions_90d,
    EXACT_SUM(CASE WHEN txn_type = 'subscribe' AND IN_WINDOW(txn_date, 90) THEN amount ELSE 0 END)
      AS subscribed_90d,
    SUM(CASE WHEN txn_type = 'redeem' AND IN_WINDOW(txn_date, 90) THEN 1 ELSE 0 END)
      AS redemptions_90d,
    EXACT_SUM(CASE WHEN txn_type = 'redeem' AND IN_WINDOW(txn_date, 30) THEN amount ELSE 0 END)
      AS redeemed_30d,
    EXACT_SUM(CASE WHEN txn_type = 'redeem' AND IN_WINDOW(txn_date, 90) THEN amount ELSE 0 END)
      AS redeemed_90d,
    EXACT_SUM(CASE WHEN txn_type = 'dividend' AND IN_WINDOW(txn_date, 90) THEN amount ELSE 0 END)
      AS dividends_90d,
    MAX(CASE WHEN txn_type IN ('subscribe', 'redeem') THEN txn_date END) AS last_txn_date
  FROM customer_wealth_txns
  GROUP BY customer_key
)
SELECT
  p.customer_key,
  h.fund_value / NULLIF(t.wealth_now, 0) AS wealth_share_fund,
  h.bond_value / NULLIF(t.wealth_now, 0) AS wealth_share_bond,
  h.structured_value / NULLIF(t.wealth_now, 0) AS wealth_share_structured,
  h.insurance_value / NULLIF(t.wealth_now, 0) AS wealth_share_insurance,
  COALESCE(h.bond_value, 0) / NULLIF(t.total_now, 0) AS fixed_income_share,
  COALESCE(h.structured_value, 0) / NULLIF(t.total_now, 0) AS structured_share,
  h.foreign_value / NULLIF(t.wealth_now, 0) AS foreign_currency_wealth_share,
  COALESCE(h.products, 0) AS wealth_product_count,
  COALESCE(f.subscriptions_90d, 0) AS wealth_subscription_count_90d,
  COALESCE(f.subscribed_90d, 0) AS wealth_subscription_amount_90d,
  COALESCE(f.redemptions_90d, 0) AS wealth_redemption_count_90d,
  COALESCE(f.redeemed_30d, 0) AS wealth_redemption_amount_30d,
  COALESCE(f.redeemed_90d, 0) AS wealth_redemption_amount_90d,
  COALESCE(f.dividends_90d, 0) AS wealth_dividend_amount_90d,
  DATEDIFF({as_of}, f.last_txn_date) AS days_since_last_wealth_txn
FROM population p
JOIN asset_totals t ON t.customer_key = p.customer_key
LEFT JOIN holdings h ON h.customer_key = p.customer_key
LEFT JOIN flows f ON f.customer_key = p.customer_key
