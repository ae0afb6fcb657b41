{# Generated from profilehub/catalog by `uv run python -m profilehub.catalog render`; do not edit by hand. #}
{% macro tag_catalog() %}{{ return(fromjson('{
 "families": [
  "demographic_lifecycle",
  "asset_tier",
  "risk_suitability",
  "trading_behaviour",
  "emotion_radar",
  "wealth_preference",
  "churn_engagement",
  "scenario_consumption",
  "compliance"
 ],
 "tags": [
  {
   "id": "gen_z",
   "family": "demographic_lifecycle",
   "type": "boolean",
   "name_en": "Gen Z investor",
   "name_zh": "Z世代投资者",
   "sql": "COALESCE((is_gen_z), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "is_gen_z"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "generation",
   "family": "demographic_lifecycle",
   "type": "category",
   "name_en": "Generation",
   "name_zh": "代际",
   "sql": "CASE WHEN birth_year >= 2013 THEN \'gen_alpha\' WHEN birth_year >= 1997 THEN \'gen_z\' WHEN birth_year >= 1981 THEN \'millennial\' WHEN birth_year >= 1965 THEN \'gen_x\' ELSE \'baby_boomer_or_older\' END",
   "values": [
    "gen_alpha",
    "gen_z",
    "millennial",
    "gen_x",
    "baby_boomer_or_older"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "birth_year"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "birth_decade_cohort",
   "family": "demographic_lifecycle",
   "type": "category",
   "name_en": "Birth-decade cohort (post-80s, post-90s …)",
   "name_zh": "年代人群（80后/90后等）",
   "sql": "CASE WHEN birth_year >= 2000 THEN \'post_00\' WHEN birth_year >= 1990 THEN \'post_90\' WHEN birth_year >= 1980 THEN \'post_80\' WHEN birth_year >= 1970 THEN \'post_70\' ELSE \'pre_70\' END",
   "values": [
    "post_00",
    "post_90",
    "post_80",
    "post_70",
    "pre_70"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "birth_year"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "age_band",
   "family": "demographic_lifecycle",
   "type": "bucket",
   "name_en": "Age band",
   "name_zh": "年龄段",
   "sql": "CASE WHEN (age_years) IS NULL THEN NULL WHEN (age_years) < 18 THEN \'under_18\' WHEN (age_years) < 25 THEN \'age_18_24\' WHEN (age_years) < 35 THEN \'age_25_34\' WHEN (age_years) < 45 THEN \'age_35_44\' WHEN (age_years) < 55 THEN \'age_45_54\' WHEN (age_years) < 65 THEN \'age_55_64\' ELSE \'age_65_plus\' END",
   "values": [
    "under_18",
    "age_18_24",
    "age_25_34",
    "age_35_44",
    "age_45_54",
    "age_55_64",
    "age_65_plus"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "age_years"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "young_investor",
   "family": "demographic_lifecycle",
   "type": "boolean",
   "name_en": "Young investor (under 30)",
   "name_zh": "年轻投资者（30岁以下）",
   "sql": "COALESCE((age_years < 30), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "age_years"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "pre_retiree",
   "family": "demographic_lifecycle",
   "type": "boolean",
   "name_en": "Pre-retiree (50–59)",
   "name_zh": "临近退休人群（50-59岁）",
   "sql": "COALESCE((age_years BETWEEN 50 AND 59), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "age_years"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "silver_investor",
   "family": "demographic_lifecycle",
   "type": "boolean",
   "name_en": "Silver-age investor (60+)",
   "name_zh": "银发投资者（60岁以上）",
   "sql": "COALESCE((age_years >= 60), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "age_years"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "gender",
   "family": "demographic_lifecycle",
   "type": "category",
   "name_en": "Gender",
   "name_zh": "性别",
   "sql": "gender",
   "values": [
    "F",
    "M"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "gender"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "city_tier",
   "family": "demographic_lifecycle",
   "type": "category",
   "name_en": "City tier of residence",
   "name_zh": "居住城市等级",
   "sql": "CASE WHEN city IN (\'Beijing\', \'Shanghai\', \'Guangzhou\', \'Shenzhen\', \'北京\', \'上海\', \'广州\', \'深圳\') THEN \'tier_1\' WHEN city IN (\'Chengdu\', \'Chongqing\', \'Hangzhou\', \'Wuhan\', \'Xian\', \'Suzhou\', \'Tianjin\', \'Nanjing\', \'Changsha\', \'Zhengzhou\', \'Dongguan\', \'Qingdao\', \'Shenyang\', \'Ningbo\', \'Kunming\', \'成都\', \'重庆\', \'杭州\', \'武汉\', \'西安\', \'苏州\', \'天津\', \'南京\', \'长沙\', \'郑州\', \'东莞\', \'青岛\', \'沈阳\', \'宁波\', \'昆明\') THEN \'new_tier_1\' ELSE \'other\' END",
   "values": [
    "tier_1",
    "new_tier_1",
    "other"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "city"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "acquisition_channel",
   "family": "demographic_lifecycle",
   "type": "category",
   "name_en": "Acquisition channel",
   "name_zh": "开户渠道",
   "sql": "open_channel",
   "values": [
    "app",
    "web",
    "branch",
    "partner"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "open_channel"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "digital_native_onboarding",
   "family": "demographic_lifecycle",
   "type": "boolean",
   "name_en": "Opened the account in the app",
   "name_zh": "APP线上开户",
   "sql": "COALESCE((open_channel = \'app\'), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "open_channel"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "new_customer",
   "family": "demographic_lifecycle",
   "type": "boolean",
   "name_en": "New customer (account ≤ 90 days)",
   "name_zh": "新客户（开户90天内）",
   "sql": "COALESCE((account_age_days <= 90), FALSE)",
   "values": [],
   "sensitivity": "public",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "account_age_days"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "first_year_customer",
   "family": "demographic_lifecycle",
   "type": "boolean",
   "name_en": "First-year customer",
   "name_zh": "开户首年客户",
   "sql": "COALESCE((account_age_days <= 365), FALSE)",
   "values": [],
   "sensitivity": "public",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "account_age_days"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "tenure_band",
   "family": "demographic_lifecycle",
   "type": "bucket",
   "name_en": "Account tenure",
   "name_zh": "开户时长",
   "sql": "CASE WHEN (account_age_days) IS NULL THEN NULL WHEN (account_age_days) < 31 THEN \'first_month\' WHEN (account_age_days) < 91 THEN \'first_quarter\' WHEN (account_age_days) < 366 THEN \'first_year\' WHEN (account_age_days) < 1096 THEN \'years_1_3\' WHEN (account_age_days) < 3653 THEN \'years_3_10\' ELSE \'over_10_years\' END",
   "values": [
    "first_month",
    "first_quarter",
    "first_year",
    "years_1_3",
    "years_3_10",
    "over_10_years"
   ],
   "sensitivity": "public",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "account_age_days"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "account_anniversary_week",
   "family": "demographic_lifecycle",
   "type": "boolean",
   "name_en": "Account anniversary within the last week",
   "name_zh": "开户周年纪念周",
   "sql": "COALESCE((account_age_days >= 365 AND account_age_days % 365 < 7), FALSE)",
   "values": [],
   "sensitivity": "public",
   "purposes": [
    "marketing"
   ],
   "partners": [],
   "lineage": [
    "customers"
   ],
   "features": [
    "account_age_days"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "dormant",
   "family": "demographic_lifecycle",
   "type": "boolean",
   "name_en": "Dormant customer (no activity for 90+ days)",
   "name_zh": "沉睡客户（90天以上无活动）",
   "sql": "COALESCE((account_age_days > 90 AND COALESCE(days_since_last_activity, account_age_days) > 90), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "wealth_transactions"
   ],
   "features": [
    "account_age_days",
    "days_since_last_activity"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "onboarding_not_activated",
   "family": "demographic_lifecycle",
   "type": "boolean",
   "name_en": "New account not yet activated (no trade, no product)",
   "name_zh": "新开户未激活",
   "sql": "COALESCE((account_age_days <= 60 AND days_since_last_trade IS NULL AND wealth_product_count = 0 AND equity_market_value = 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "trades",
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "account_age_days",
    "equity_market_value",
    "wealth_product_count",
    "days_since_last_trade"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "lifecycle_stage",
   "family": "demographic_lifecycle",
   "type": "category",
   "name_en": "Customer lifecycle stage",
   "name_zh": "客户生命周期阶段",
   "sql": "CASE WHEN account_age_days <= 30 AND trade_count_30d = 0 AND wealth_subscription_count_90d = 0 THEN \'onboarding\' WHEN COALESCE(days_since_last_activity, account_age_days) > 90 THEN \'dormant\' WHEN account_age_days <= 90 THEN \'new\' WHEN active_days_prev_60d > 0 AND active_days_30d = 0 THEN \'lapsing\' WHEN active_days_trend_30d_vs_prev_60d <= -CAST(0.5 AS DOUBLE) THEN \'declining\' WHEN active_days_trend_30d_vs_prev_60d >= CAST(0.5 AS DOUBLE) THEN \'growing\' ELSE \'mature\' END",
   "values": [
    "onboarding",
    "dormant",
    "new",
    "lapsing",
    "declining",
    "growing",
    "mature"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "wealth_transactions"
   ],
   "features": [
    "account_age_days",
    "trade_count_30d",
    "wealth_subscription_count_90d",
    "active_days_30d",
    "active_days_prev_60d",
    "active_days_trend_30d_vs_prev_60d",
    "days_since_last_activity"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "long_tail",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Long-tail customer (< 100k CNY)",
   "name_zh": "长尾客户（资产低于10万元）",
   "sql": "COALESCE((total_assets < 100000), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "mass_affluent",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Mass affluent (100k–1M CNY)",
   "name_zh": "大众富裕客户（10万-100万元）",
   "sql": "COALESCE((total_assets >= 100000 AND total_assets <= 1000000), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "hnw",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "High-net-worth (> 1M CNY)",
   "name_zh": "高净值客户（资产超100万元）",
   "sql": "COALESCE((total_assets > 1000000), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "partner_credit_assessment",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "uhnw",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Ultra-high-net-worth (≥ 10M CNY)",
   "name_zh": "超高净值客户（资产1000万元以上）",
   "sql": "COALESCE((total_assets >= 10000000), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "asset_tier",
   "family": "asset_tier",
   "type": "category",
   "name_en": "Asset tier",
   "name_zh": "资产层级",
   "sql": "CASE WHEN total_assets < 100000 THEN \'long_tail\' WHEN total_assets <= 1000000 THEN \'mass_affluent\' WHEN total_assets < 10000000 THEN \'hnw\' ELSE \'uhnw\' END",
   "values": [
    "long_tail",
    "mass_affluent",
    "hnw",
    "uhnw"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "partner_credit_assessment",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "asset_band",
   "family": "asset_tier",
   "type": "bucket",
   "name_en": "Total assets band",
   "name_zh": "总资产区间",
   "sql": "CASE WHEN (total_assets) IS NULL THEN NULL WHEN (total_assets) < 1 THEN \'zero\' WHEN (total_assets) < 10000 THEN \'under_10k\' WHEN (total_assets) < 50000 THEN \'k10_50k\' WHEN (total_assets) < 100000 THEN \'k50_100k\' WHEN (total_assets) < 300000 THEN \'k100_300k\' WHEN (total_assets) < 500000 THEN \'k300_500k\' WHEN (total_assets) < 1000000 THEN \'k500_1m\' WHEN (total_assets) < 3000000 THEN \'m1_3m\' WHEN (total_assets) < 10000000 THEN \'m3_10m\' ELSE \'over_10m\' END",
   "values": [
    "zero",
    "under_10k",
    "k10_50k",
    "k50_100k",
    "k100_300k",
    "k300_500k",
    "k500_1m",
    "m1_3m",
    "m3_10m",
    "over_10m"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "partner_credit_assessment",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "avg_assets_30d_band",
   "family": "asset_tier",
   "type": "bucket",
   "name_en": "30-day average assets band",
   "name_zh": "近30日日均资产区间",
   "sql": "CASE WHEN (total_assets_avg_30d) IS NULL THEN NULL WHEN (total_assets_avg_30d) < 1 THEN \'zero\' WHEN (total_assets_avg_30d) < 10000 THEN \'under_10k\' WHEN (total_assets_avg_30d) < 100000 THEN \'k10_100k\' WHEN (total_assets_avg_30d) < 1000000 THEN \'k100_1m\' WHEN (total_assets_avg_30d) < 10000000 THEN \'m1_10m\' ELSE \'over_10m\' END",
   "values": [
    "zero",
    "under_10k",
    "k10_100k",
    "k100_1m",
    "m1_10m",
    "over_10m"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "partner_credit_assessment",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets_avg_30d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "hnw_prospect",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Near high-net-worth (700k–1M CNY)",
   "name_zh": "准高净值客户（70万-100万元）",
   "sql": "COALESCE((total_assets >= 700000 AND total_assets <= 1000000), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "mass_affluent_prospect",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Near mass affluent (70k–100k CNY)",
   "name_zh": "准大众富裕客户（7万-10万元）",
   "sql": "COALESCE((total_assets >= 70000 AND total_assets < 100000), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "zero_balance",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Empty account",
   "name_zh": "零资产账户",
   "sql": "COALESCE((total_assets = 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "equity_heavy",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Equity-heavy (≥ 80% in stocks)",
   "name_zh": "股票重仓（股票占比80%以上）",
   "sql": "COALESCE((total_assets > 0 AND equity_market_value >= CAST(0.8 AS DOUBLE) * total_assets), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "equity_market_value",
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "wealth_heavy",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Wealth-product-heavy (≥ 80% in products)",
   "name_zh": "理财重仓（理财占比80%以上）",
   "sql": "COALESCE((total_assets > 0 AND wealth_market_value >= CAST(0.8 AS DOUBLE) * total_assets), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "wealth_market_value",
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "balanced_allocation",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Balanced between stocks and products (30–70%)",
   "name_zh": "股票理财均衡配置",
   "sql": "COALESCE((total_assets > 0 AND equity_market_value BETWEEN CAST(0.3 AS DOUBLE) * total_assets AND CAST(0.7 AS DOUBLE) * total_assets), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "equity_market_value",
    "total_assets"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "assets_growing_30d",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Assets up ≥ 20% in 30 days",
   "name_zh": "近30日资产增长20%以上",
   "sql": "COALESCE((total_assets_30d_ago > 0 AND total_assets >= CAST(1.2 AS DOUBLE) * total_assets_30d_ago), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets",
    "total_assets_30d_ago"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "assets_shrinking_30d",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Assets down ≥ 20% in 30 days",
   "name_zh": "近30日资产缩水20%以上",
   "sql": "COALESCE((total_assets_30d_ago > 0 AND balance_outflow_30d >= CAST(0.2 AS DOUBLE) * total_assets_30d_ago), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets_30d_ago",
    "balance_outflow_30d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "drawdown_from_peak_band",
   "family": "asset_tier",
   "type": "bucket",
   "name_en": "Assets below their 90-day peak",
   "name_zh": "资产较90日高点回撤",
   "sql": "CASE WHEN (1 - total_assets / NULLIF(total_assets_max_90d, 0)) IS NULL THEN NULL WHEN (1 - total_assets / NULLIF(total_assets_max_90d, 0)) < CAST(0.05 AS DOUBLE) THEN \'near_peak\' WHEN (1 - total_assets / NULLIF(total_assets_max_90d, 0)) < CAST(0.15 AS DOUBLE) THEN \'mild\' WHEN (1 - total_assets / NULLIF(total_assets_max_90d, 0)) < CAST(0.3 AS DOUBLE) THEN \'moderate\' ELSE \'severe\' END",
   "values": [
    "near_peak",
    "mild",
    "moderate",
    "severe"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets",
    "total_assets_max_90d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "concentrated_portfolio",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Concentrated stock portfolio (one stock ≥ 50%)",
   "name_zh": "个股集中持仓（单一股票占比50%以上）",
   "sql": "COALESCE((largest_position_share >= CAST(0.5 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions"
   ],
   "features": [
    "largest_position_share"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "diversified_portfolio",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Diversified stock portfolio",
   "name_zh": "分散化持仓",
   "sql": "COALESCE((equity_position_count >= 8 AND position_sector_hhi <= CAST(0.25 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions"
   ],
   "features": [
    "equity_position_count",
    "position_sector_hhi"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "position_count_band",
   "family": "asset_tier",
   "type": "bucket",
   "name_en": "Number of stocks held",
   "name_zh": "持股数量区间",
   "sql": "CASE WHEN (equity_position_count) IS NULL THEN NULL WHEN (equity_position_count) < 1 THEN \'none\' WHEN (equity_position_count) < 3 THEN \'stocks_1_2\' WHEN (equity_position_count) < 6 THEN \'stocks_3_5\' WHEN (equity_position_count) < 11 THEN \'stocks_6_10\' ELSE \'stocks_11_plus\' END",
   "values": [
    "none",
    "stocks_1_2",
    "stocks_3_5",
    "stocks_6_10",
    "stocks_11_plus"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions"
   ],
   "features": [
    "equity_position_count"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "portfolio_in_loss",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "Stock portfolio below cost",
   "name_zh": "股票持仓浮亏",
   "sql": "COALESCE((equity_unrealised_pnl_ratio < 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions"
   ],
   "features": [
    "equity_unrealised_pnl_ratio"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "unrealised_pnl_band",
   "family": "asset_tier",
   "type": "bucket",
   "name_en": "Unrealised gain/loss of the stock portfolio",
   "name_zh": "股票持仓浮动盈亏区间",
   "sql": "CASE WHEN (equity_unrealised_pnl_ratio) IS NULL THEN NULL WHEN (equity_unrealised_pnl_ratio) < CAST(-0.3 AS DOUBLE) THEN \'loss_over_30pct\' WHEN (equity_unrealised_pnl_ratio) < CAST(-0.1 AS DOUBLE) THEN \'loss_10_30pct\' WHEN (equity_unrealised_pnl_ratio) < 0 THEN \'loss_under_10pct\' WHEN (equity_unrealised_pnl_ratio) < CAST(0.1 AS DOUBLE) THEN \'gain_under_10pct\' WHEN (equity_unrealised_pnl_ratio) < CAST(0.3 AS DOUBLE) THEN \'gain_10_30pct\' ELSE \'gain_over_30pct\' END",
   "values": [
    "loss_over_30pct",
    "loss_10_30pct",
    "loss_under_10pct",
    "gain_under_10pct",
    "gain_10_30pct",
    "gain_over_30pct"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions"
   ],
   "features": [
    "equity_unrealised_pnl_ratio"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "avg_assets_90d_band",
   "family": "asset_tier",
   "type": "bucket",
   "name_en": "90-day average assets band",
   "name_zh": "近90日日均资产区间",
   "sql": "CASE WHEN (total_assets_avg_90d) IS NULL THEN NULL WHEN (total_assets_avg_90d) < 1 THEN \'zero\' WHEN (total_assets_avg_90d) < 10000 THEN \'under_10k\' WHEN (total_assets_avg_90d) < 100000 THEN \'k10_100k\' WHEN (total_assets_avg_90d) < 1000000 THEN \'k100_1m\' WHEN (total_assets_avg_90d) < 10000000 THEN \'m1_10m\' ELSE \'over_10m\' END",
   "values": [
    "zero",
    "under_10k",
    "k10_100k",
    "k100_1m",
    "m1_10m",
    "over_10m"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "partner_credit_assessment",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets_avg_90d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "fresh_money_inflow",
   "family": "asset_tier",
   "type": "boolean",
   "name_en": "New money this week (7-day average ≥ 1.5× the 90-day average)",
   "name_zh": "近期资金转入",
   "sql": "COALESCE((total_assets_avg_90d > 0 AND total_assets_avg_7d >= CAST(1.5 AS DOUBLE) * total_assets_avg_90d), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets_avg_7d",
    "total_assets_avg_90d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "customer_risk_level",
   "family": "risk_suitability",
   "type": "category",
   "name_en": "Customer risk level",
   "name_zh": "客户风险等级",
   "sql": "CASE customer_risk_level WHEN 1 THEN \'C1\' WHEN 2 THEN \'C2\' WHEN 3 THEN \'C3\' WHEN 4 THEN \'C4\' WHEN 5 THEN \'C5\' ELSE \'unassessed\' END",
   "values": [
    "C1",
    "C2",
    "C3",
    "C4",
    "C5",
    "unassessed"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "partner_credit_assessment",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "customer_risk_level"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "product_risk_ceiling",
   "family": "risk_suitability",
   "type": "category",
   "name_en": "Highest product risk level currently suitable",
   "name_zh": "当前可匹配的最高产品风险等级",
   "sql": "CASE WHEN risk_assessment_days_to_expiry < 0 OR customer_risk_level IS NULL THEN \'none\' WHEN customer_risk_level = 1 THEN \'R1\' WHEN customer_risk_level = 2 THEN \'R2\' WHEN customer_risk_level = 3 THEN \'R3\' WHEN customer_risk_level = 4 THEN \'R4\' ELSE \'R5\' END",
   "values": [
    "none",
    "R1",
    "R2",
    "R3",
    "R4",
    "R5"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "customer_risk_level",
    "risk_assessment_days_to_expiry"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "conservative_investor",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Conservative investor (C1–C2)",
   "name_zh": "保守型投资者（C1-C2）",
   "sql": "COALESCE((customer_risk_level <= 2), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "customer_risk_level"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "aggressive_investor",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Aggressive investor (C4–C5)",
   "name_zh": "积极型投资者（C4-C5）",
   "sql": "COALESCE((customer_risk_level >= 4), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "customer_risk_level"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "never_risk_assessed",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Never took the risk questionnaire",
   "name_zh": "未做风险测评",
   "sql": "COALESCE((customer_risk_level IS NULL), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "customer_risk_level"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "risk_assessment_expired",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Risk assessment expired",
   "name_zh": "风险测评已过期",
   "sql": "COALESCE((risk_assessment_days_to_expiry < 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "risk_assessment_days_to_expiry"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "risk_assessment_expiring_30d",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Risk assessment expires within 30 days",
   "name_zh": "风险测评30天内到期",
   "sql": "COALESCE((risk_assessment_days_to_expiry BETWEEN 0 AND 30), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "risk_assessment_days_to_expiry"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "recently_reassessed",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Took the risk questionnaire in the last 30 days",
   "name_zh": "近30天完成风险测评",
   "sql": "COALESCE((days_since_risk_assessment <= 30), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "days_since_risk_assessment"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "questionnaire_score_band",
   "family": "risk_suitability",
   "type": "bucket",
   "name_en": "Risk questionnaire score band",
   "name_zh": "风险测评得分区间",
   "sql": "CASE WHEN (risk_assessment_score) IS NULL THEN NULL WHEN (risk_assessment_score) < 20 THEN \'score_0_19\' WHEN (risk_assessment_score) < 40 THEN \'score_20_39\' WHEN (risk_assessment_score) < 60 THEN \'score_40_59\' WHEN (risk_assessment_score) < 80 THEN \'score_60_79\' ELSE \'score_80_100\' END",
   "values": [
    "score_0_19",
    "score_20_39",
    "score_40_59",
    "score_60_79",
    "score_80_100"
   ],
   "sensitivity": "internal",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "risk_assessment_score"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "risk_level_upgraded_90d",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Risk level raised in the last 90 days",
   "name_zh": "近90天风险等级上调",
   "sql": "COALESCE((risk_level_change_90d > 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "risk_level_change_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "risk_level_downgraded_90d",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Risk level lowered in the last 90 days",
   "name_zh": "近90天风险等级下调",
   "sql": "COALESCE((risk_level_change_90d < 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "risk_level_change_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "risk_level_jump_90d",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Risk level raised by two or more levels in 90 days",
   "name_zh": "近90天风险等级跳升两级以上",
   "sql": "COALESCE((risk_level_change_90d >= 2), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments"
   ],
   "features": [
    "risk_level_change_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "high_risk_product_holder",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Holds R4–R5 products",
   "name_zh": "持有中高风险产品（R4-R5）",
   "sql": "COALESCE((max_product_risk_level_held >= 4), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "max_product_risk_level_held"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "holds_above_risk_level",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Holds products above own risk level",
   "name_zh": "持有超出自身风险等级的产品",
   "sql": "COALESCE((holdings_above_risk_level_count > 0), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments",
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "holdings_above_risk_level_count"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "suitability_gap",
   "family": "risk_suitability",
   "type": "bucket",
   "name_en": "Product risk above customer risk level",
   "name_zh": "产品风险超出客户等级幅度",
   "sql": "CASE WHEN (max_product_risk_level_held - COALESCE(customer_risk_level, 0)) IS NULL THEN NULL WHEN (max_product_risk_level_held - COALESCE(customer_risk_level, 0)) < 1 THEN \'within_level\' WHEN (max_product_risk_level_held - COALESCE(customer_risk_level, 0)) < 2 THEN \'one_level_above\' ELSE \'two_plus_levels_above\' END",
   "values": [
    "within_level",
    "one_level_above",
    "two_plus_levels_above"
   ],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments",
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "customer_risk_level",
    "max_product_risk_level_held"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "above_level_exposure_band",
   "family": "risk_suitability",
   "type": "bucket",
   "name_en": "Share of assets in products above own risk level",
   "name_zh": "超风险等级产品资产占比",
   "sql": "CASE WHEN (holdings_above_risk_level_value / NULLIF(total_assets, 0)) IS NULL THEN NULL WHEN (holdings_above_risk_level_value / NULLIF(total_assets, 0)) < CAST(0.01 AS DOUBLE) THEN \'under_1pct\' WHEN (holdings_above_risk_level_value / NULLIF(total_assets, 0)) < CAST(0.1 AS DOUBLE) THEN \'pct_1_10\' WHEN (holdings_above_risk_level_value / NULLIF(total_assets, 0)) < CAST(0.3 AS DOUBLE) THEN \'pct_10_30\' ELSE \'over_30pct\' END",
   "values": [
    "under_1pct",
    "pct_1_10",
    "pct_10_30",
    "over_30pct"
   ],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments",
    "positions",
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "total_assets",
    "holdings_above_risk_level_value"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "subscribed_above_risk_level_90d",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Subscribed above own risk level in the last 90 days",
   "name_zh": "近90天申购超风险等级产品",
   "sql": "COALESCE((subscriptions_above_risk_level_90d > 0), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments",
    "wealth_products",
    "wealth_transactions"
   ],
   "features": [
    "subscriptions_above_risk_level_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "suitability_review_needed",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Suitability review needed",
   "name_zh": "需复核适当性",
   "sql": "COALESCE((holdings_above_risk_level_count > 0 OR subscriptions_above_risk_level_90d > 0 OR (wealth_product_count > 0 AND (risk_assessment_days_to_expiry < 0 OR customer_risk_level IS NULL))), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments",
    "wealth_products",
    "wealth_holdings",
    "wealth_transactions"
   ],
   "features": [
    "customer_risk_level",
    "risk_assessment_days_to_expiry",
    "holdings_above_risk_level_count",
    "subscriptions_above_risk_level_90d",
    "wealth_product_count"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "stated_vs_revealed_risk_mismatch",
   "family": "risk_suitability",
   "type": "boolean",
   "name_en": "Trades riskier than the stated risk level",
   "name_zh": "实际交易风险高于测评等级",
   "sql": "COALESCE((customer_risk_level <= 2 AND (margin_trade_share_90d > 0 OR turnover_ratio_30d >= 2 OR largest_position_share >= CAST(0.7 AS DOUBLE))), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments",
    "trades",
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "largest_position_share",
    "customer_risk_level",
    "turnover_ratio_30d",
    "margin_trade_share_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "wealth_risk_appetite",
   "family": "risk_suitability",
   "type": "bucket",
   "name_en": "Risk level of the wealth portfolio (value-weighted)",
   "name_zh": "理财持仓风险偏好",
   "sql": "CASE WHEN (wealth_risk_level_weighted) IS NULL THEN NULL WHEN (wealth_risk_level_weighted) < CAST(1.5 AS DOUBLE) THEN \'r1_like\' WHEN (wealth_risk_level_weighted) < CAST(2.5 AS DOUBLE) THEN \'r2_like\' WHEN (wealth_risk_level_weighted) < CAST(3.5 AS DOUBLE) THEN \'r3_like\' WHEN (wealth_risk_level_weighted) < CAST(4.5 AS DOUBLE) THEN \'r4_like\' ELSE \'r5_like\' END",
   "values": [
    "r1_like",
    "r2_like",
    "r3_like",
    "r4_like",
    "r5_like"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "wealth_risk_level_weighted"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "revealed_risk_appetite_score",
   "family": "risk_suitability",
   "type": "score",
   "name_en": "Revealed risk appetite score",
   "name_zh": "行为风险偏好评分",
   "sql": "CAST(CAST(CAST(0.3 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((turnover_ratio_30d / 3) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.2 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((margin_trade_share_90d) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.2 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST(((max_product_risk_level_held - 1) / 4) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.15 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((largest_position_share) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.15 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((equity_market_value / NULLIF(total_assets, 0)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) AS DECIMAL(20, 10)) AS DECIMAL(5, 4))",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "equity_market_value",
    "total_assets",
    "largest_position_share",
    "max_product_risk_level_held",
    "turnover_ratio_30d",
    "margin_trade_share_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "day_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Day trader",
   "name_zh": "日内交易者",
   "sql": "COALESCE((intraday_trade_share_90d >= CAST(0.5 AS DOUBLE) AND active_trading_days_30d >= 8), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "active_trading_days_30d",
    "intraday_trade_share_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "swing_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Swing trader (holds days to weeks)",
   "name_zh": "波段交易者",
   "sql": "COALESCE((avg_holding_period_days_90d BETWEEN 2 AND 20 AND trade_count_90d >= 6 AND COALESCE(intraday_trade_share_90d, 0) < CAST(0.5 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "trade_count_90d",
    "avg_holding_period_days_90d",
    "intraday_trade_share_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "buy_and_hold",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Buy-and-hold investor",
   "name_zh": "长期持有型投资者",
   "sql": "COALESCE((equity_market_value > 0 AND trade_count_90d <= 3 AND COALESCE(avg_holding_period_days_90d, 90) >= 60), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions"
   ],
   "features": [
    "equity_market_value",
    "trade_count_90d",
    "avg_holding_period_days_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "active_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Active trader (10+ trading days a month)",
   "name_zh": "活跃交易者（月交易10天以上）",
   "sql": "COALESCE((active_trading_days_30d >= 10), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "active_trading_days_30d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "weekly_active_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Traded on 3+ days this week",
   "name_zh": "本周交易3天以上",
   "sql": "COALESCE((active_trading_days_7d >= 3), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "active_trading_days_7d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "traded_this_week",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Traded in the last 7 days",
   "name_zh": "近7天有交易",
   "sql": "COALESCE((trade_count_7d > 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "trade_count_7d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "consistent_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Trades on 30+ days a quarter",
   "name_zh": "持续稳定交易者",
   "sql": "COALESCE((active_trading_days_90d >= 30), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "active_trading_days_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "trade_frequency_band",
   "family": "trading_behaviour",
   "type": "bucket",
   "name_en": "Monthly number of fills",
   "name_zh": "月成交笔数区间",
   "sql": "CASE WHEN (trade_count_30d) IS NULL THEN NULL WHEN (trade_count_30d) < 1 THEN \'none\' WHEN (trade_count_30d) < 5 THEN \'occasional\' WHEN (trade_count_30d) < 20 THEN \'regular\' WHEN (trade_count_30d) < 60 THEN \'frequent\' ELSE \'hyperactive\' END",
   "values": [
    "none",
    "occasional",
    "regular",
    "frequent",
    "hyperactive"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "trade_count_30d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "weekly_trade_amount_band",
   "family": "trading_behaviour",
   "type": "bucket",
   "name_en": "Traded amount this week",
   "name_zh": "近7日成交金额区间",
   "sql": "CASE WHEN (trade_amount_7d) IS NULL THEN NULL WHEN (trade_amount_7d) < 1 THEN \'none\' WHEN (trade_amount_7d) < 10000 THEN \'under_10k\' WHEN (trade_amount_7d) < 100000 THEN \'k10_100k\' WHEN (trade_amount_7d) < 1000000 THEN \'k100_1m\' ELSE \'over_1m\' END",
   "values": [
    "none",
    "under_10k",
    "k10_100k",
    "k100_1m",
    "over_1m"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "trade_amount_7d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "trade_amount_90d_band",
   "family": "trading_behaviour",
   "type": "bucket",
   "name_en": "Traded amount over 90 days",
   "name_zh": "近90日成交金额区间",
   "sql": "CASE WHEN (trade_amount_90d) IS NULL THEN NULL WHEN (trade_amount_90d) < 1 THEN \'none\' WHEN (trade_amount_90d) < 50000 THEN \'under_50k\' WHEN (trade_amount_90d) < 500000 THEN \'k50_500k\' WHEN (trade_amount_90d) < 5000000 THEN \'k500_5m\' WHEN (trade_amount_90d) < 50000000 THEN \'m5_50m\' ELSE \'over_50m\' END",
   "values": [
    "none",
    "under_50k",
    "k50_500k",
    "k500_5m",
    "m5_50m",
    "over_50m"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "partner_credit_assessment",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "trade_amount_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "turnover_band",
   "family": "trading_behaviour",
   "type": "bucket",
   "name_en": "Monthly turnover relative to assets",
   "name_zh": "月换手率区间",
   "sql": "CASE WHEN (turnover_ratio_30d) IS NULL THEN NULL WHEN (turnover_ratio_30d) < CAST(0.1 AS DOUBLE) THEN \'low\' WHEN (turnover_ratio_30d) < CAST(0.5 AS DOUBLE) THEN \'moderate\' WHEN (turnover_ratio_30d) < 2 THEN \'high\' WHEN (turnover_ratio_30d) < 5 THEN \'very_high\' ELSE \'extreme\' END",
   "values": [
    "low",
    "moderate",
    "high",
    "very_high",
    "extreme"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "turnover_ratio_30d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "high_turnover_week",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Traded more than own assets this week",
   "name_zh": "本周成交额超过资产",
   "sql": "COALESCE((turnover_ratio_7d >= 1), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "turnover_ratio_7d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "quarterly_turnover_band",
   "family": "trading_behaviour",
   "type": "bucket",
   "name_en": "90-day turnover relative to assets",
   "name_zh": "季度换手率区间",
   "sql": "CASE WHEN (turnover_ratio_90d) IS NULL THEN NULL WHEN (turnover_ratio_90d) < CAST(0.3 AS DOUBLE) THEN \'low\' WHEN (turnover_ratio_90d) < CAST(1.5 AS DOUBLE) THEN \'moderate\' WHEN (turnover_ratio_90d) < 6 THEN \'high\' WHEN (turnover_ratio_90d) < 15 THEN \'very_high\' ELSE \'extreme\' END",
   "values": [
    "low",
    "moderate",
    "high",
    "very_high",
    "extreme"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "turnover_ratio_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "holding_period_band",
   "family": "trading_behaviour",
   "type": "bucket",
   "name_en": "Typical holding period before selling",
   "name_zh": "平均持股周期",
   "sql": "CASE WHEN (avg_holding_period_days_90d) IS NULL THEN NULL WHEN (avg_holding_period_days_90d) < 1 THEN \'same_day\' WHEN (avg_holding_period_days_90d) < 5 THEN \'days\' WHEN (avg_holding_period_days_90d) < 20 THEN \'weeks\' WHEN (avg_holding_period_days_90d) < 60 THEN \'months\' ELSE \'long_term\' END",
   "values": [
    "same_day",
    "days",
    "weeks",
    "months",
    "long_term"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "avg_holding_period_days_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "margin_user",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Margin user",
   "name_zh": "融资融券用户",
   "sql": "COALESCE((margin_trade_share_90d > 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "margin_trade_share_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "heavy_margin_user",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Heavy margin user (≥ 50% of traded amount)",
   "name_zh": "重度融资交易者（融资成交占比50%以上）",
   "sql": "COALESCE((margin_trade_share_90d >= CAST(0.5 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "margin_trade_share_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "profitable_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Profitable trader (90 days)",
   "name_zh": "近90天盈利交易者",
   "sql": "COALESCE((realised_win_rate_90d >= CAST(0.6 AS DOUBLE) AND realised_pnl_90d > 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions"
   ],
   "features": [
    "realised_win_rate_90d",
    "realised_pnl_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "losing_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Losing trader (90 days)",
   "name_zh": "近90天亏损交易者",
   "sql": "COALESCE((realised_pnl_90d < 0 AND realised_win_rate_90d < CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions"
   ],
   "features": [
    "realised_win_rate_90d",
    "realised_pnl_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "win_rate_band",
   "family": "trading_behaviour",
   "type": "bucket",
   "name_en": "Realised win rate",
   "name_zh": "卖出胜率区间",
   "sql": "CASE WHEN (realised_win_rate_90d) IS NULL THEN NULL WHEN (realised_win_rate_90d) < CAST(0.3 AS DOUBLE) THEN \'under_30pct\' WHEN (realised_win_rate_90d) < CAST(0.5 AS DOUBLE) THEN \'pct_30_50\' WHEN (realised_win_rate_90d) < CAST(0.7 AS DOUBLE) THEN \'pct_50_70\' ELSE \'over_70pct\' END",
   "values": [
    "under_30pct",
    "pct_30_50",
    "pct_50_70",
    "over_70pct"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions"
   ],
   "features": [
    "realised_win_rate_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "net_buyer_90d",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Net buyer over 90 days",
   "name_zh": "近90天净买入",
   "sql": "COALESCE((buy_amount_90d > CAST(1.2 AS DOUBLE) * sell_amount_90d), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "buy_amount_90d",
    "sell_amount_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "net_seller_90d",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Net seller over 90 days",
   "name_zh": "近90天净卖出",
   "sql": "COALESCE((sell_amount_90d > CAST(1.2 AS DOUBLE) * buy_amount_90d), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "buy_amount_90d",
    "sell_amount_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "large_ticket_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Large-ticket trader (≥ 200k CNY per fill)",
   "name_zh": "大单交易者（单笔20万元以上）",
   "sql": "COALESCE((avg_trade_amount_90d >= 200000), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "avg_trade_amount_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "symbol_explorer",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Trades many different stocks (20+ in 90 days)",
   "name_zh": "广撒网型交易者（90天交易20只以上）",
   "sql": "COALESCE((distinct_symbols_traded_90d >= 20), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "distinct_symbols_traded_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "mobile_first_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Mobile-first trader (≥ 80% of fills in the app)",
   "name_zh": "移动端交易为主",
   "sql": "COALESCE((app_trade_share_90d >= CAST(0.8 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "app_trade_share_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "trading_activity_rising",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Trading faster than the two months before",
   "name_zh": "交易频率上升",
   "sql": "COALESCE((trade_count_30d >= 3 AND trade_count_30d / CAST(30.0 AS DOUBLE) >= CAST(1.5 AS DOUBLE) * trade_count_prev_60d / CAST(60.0 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "trade_count_30d",
    "trade_count_prev_60d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "preferred_sector",
   "family": "trading_behaviour",
   "type": "category",
   "name_en": "Most traded sector (90 days)",
   "name_zh": "最偏好的行业板块",
   "sql": "top_sector_90d",
   "values": [
    "technology",
    "finance",
    "consumer",
    "healthcare",
    "energy",
    "industrials",
    "materials",
    "real_estate",
    "utilities",
    "telecom"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "top_sector_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_concentrated_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Trades one or two sectors only",
   "name_zh": "行业集中型交易者",
   "sql": "COALESCE((sector_hhi_90d >= CAST(0.5 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_hhi_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_diversified_trader",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Trades across many sectors",
   "name_zh": "行业分散型交易者",
   "sql": "COALESCE((sector_hhi_90d <= CAST(0.2 AS DOUBLE) AND distinct_symbols_traded_90d >= 5), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "distinct_symbols_traded_90d",
    "sector_hhi_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_focus_technology",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Technology sector focus (≥ 40% of traded amount)",
   "name_zh": "偏好科技板块（成交占比40%以上）",
   "sql": "COALESCE((sector_share_technology_90d >= CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_share_technology_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_focus_finance",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Finance sector focus (≥ 40% of traded amount)",
   "name_zh": "偏好金融板块（成交占比40%以上）",
   "sql": "COALESCE((sector_share_finance_90d >= CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_share_finance_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_focus_consumer",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Consumer sector focus (≥ 40% of traded amount)",
   "name_zh": "偏好消费板块（成交占比40%以上）",
   "sql": "COALESCE((sector_share_consumer_90d >= CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_share_consumer_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_focus_healthcare",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Healthcare sector focus (≥ 40% of traded amount)",
   "name_zh": "偏好医药医疗板块（成交占比40%以上）",
   "sql": "COALESCE((sector_share_healthcare_90d >= CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_share_healthcare_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_focus_energy",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Energy sector focus (≥ 40% of traded amount)",
   "name_zh": "偏好能源板块（成交占比40%以上）",
   "sql": "COALESCE((sector_share_energy_90d >= CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_share_energy_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_focus_industrials",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Industrials sector focus (≥ 40% of traded amount)",
   "name_zh": "偏好工业制造板块（成交占比40%以上）",
   "sql": "COALESCE((sector_share_industrials_90d >= CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_share_industrials_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_focus_materials",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Materials sector focus (≥ 40% of traded amount)",
   "name_zh": "偏好原材料板块（成交占比40%以上）",
   "sql": "COALESCE((sector_share_materials_90d >= CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_share_materials_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_focus_real_estate",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Real estate sector focus (≥ 40% of traded amount)",
   "name_zh": "偏好房地产板块（成交占比40%以上）",
   "sql": "COALESCE((sector_share_real_estate_90d >= CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_share_real_estate_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_focus_utilities",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Utilities sector focus (≥ 40% of traded amount)",
   "name_zh": "偏好公用事业板块（成交占比40%以上）",
   "sql": "COALESCE((sector_share_utilities_90d >= CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_share_utilities_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "sector_focus_telecom",
   "family": "trading_behaviour",
   "type": "boolean",
   "name_en": "Telecom sector focus (≥ 40% of traded amount)",
   "name_zh": "偏好通信板块（成交占比40%以上）",
   "sql": "COALESCE((sector_share_telecom_90d >= CAST(0.4 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "sector_share_telecom_90d"
   ],
   "version": 1,
   "owner": "equity-brokerage"
  },
  {
   "id": "panic_seller_score",
   "family": "emotion_radar",
   "type": "score",
   "name_en": "Panic-seller score",
   "name_zh": "恐慌抛售指数",
   "sql": "CAST(CAST(CAST(0.35 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((drawdown_sell_share_90d / CAST(0.1 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.25 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST(((drawdown_sell_share_90d - COALESCE(normal_day_sell_share_90d, 0)) / CAST(0.05 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.25 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((-drawdown_exposure_change_per_day_90d / CAST(0.1 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.15 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST(((drawdown_trade_intensity_ratio_90d - 1) / 2) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) AS DECIMAL(20, 10)) AS DECIMAL(5, 4))",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "market_quotes"
   ],
   "features": [
    "drawdown_sell_share_90d",
    "normal_day_sell_share_90d",
    "drawdown_exposure_change_per_day_90d",
    "drawdown_trade_intensity_ratio_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "panic_selling_episode_90d",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Panic-selling episode in the last 90 days",
   "name_zh": "近90天出现恐慌性抛售",
   "sql": "COALESCE((drawdown_sell_share_90d >= CAST(0.05 AS DOUBLE) AND drawdown_sell_share_90d >= 3 * COALESCE(normal_day_sell_share_90d, 0)), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "market_quotes"
   ],
   "features": [
    "drawdown_sell_share_90d",
    "normal_day_sell_share_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "exposure_cutter_on_drops",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Cuts positions fast around market drops",
   "name_zh": "大跌时快速减仓",
   "sql": "COALESCE((drawdown_exposure_change_per_day_90d <= -CAST(0.05 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "market_quotes"
   ],
   "features": [
    "drawdown_exposure_change_per_day_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "drawdown_agitated_trader",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Trades far more on market drop days",
   "name_zh": "大跌日交易异常活跃",
   "sql": "COALESCE((drawdown_trade_intensity_ratio_90d >= 2), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "market_quotes"
   ],
   "features": [
    "drawdown_trade_intensity_ratio_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "steady_hand",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Steady through market drops",
   "name_zh": "大跌中保持镇定",
   "sql": "COALESCE((market_drawdown_days_90d > 0 AND equity_market_value > 0 AND COALESCE(drawdown_sell_share_90d, 0) <= COALESCE(normal_day_sell_share_90d, 0) AND COALESCE(drawdown_exposure_change_per_day_90d, 0) >= -CAST(0.01 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "market_quotes"
   ],
   "features": [
    "equity_market_value",
    "market_drawdown_days_90d",
    "drawdown_sell_share_90d",
    "normal_day_sell_share_90d",
    "drawdown_exposure_change_per_day_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "dip_buyer",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Buys the dip",
   "name_zh": "逢低买入者",
   "sql": "COALESCE((drawdown_buy_share_90d >= CAST(0.05 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "market_quotes"
   ],
   "features": [
    "drawdown_buy_share_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "fomo_chaser",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "FOMO chaser (buys after big rises)",
   "name_zh": "追涨型投资者",
   "sql": "COALESCE((post_rally_buy_share_90d >= CAST(0.3 AS DOUBLE) OR limit_up_chase_buy_count_90d >= 3 OR market_rally_buy_share_90d >= CAST(0.5 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "market_quotes"
   ],
   "features": [
    "post_rally_buy_share_90d",
    "market_rally_buy_share_90d",
    "limit_up_chase_buy_count_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "fomo_score",
   "family": "emotion_radar",
   "type": "score",
   "name_en": "FOMO score",
   "name_zh": "追涨情绪指数",
   "sql": "CAST(CAST(CAST(0.4 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((post_rally_buy_share_90d / CAST(0.5 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.3 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((limit_up_chase_buy_count_90d / CAST(5.0 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.3 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((market_rally_buy_share_90d / CAST(0.5 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) AS DECIMAL(20, 10)) AS DECIMAL(5, 4))",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "market_quotes"
   ],
   "features": [
    "post_rally_buy_share_90d",
    "market_rally_buy_share_90d",
    "limit_up_chase_buy_count_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "limit_up_chaser",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Buys stocks at the daily limit",
   "name_zh": "打板追涨停",
   "sql": "COALESCE((limit_up_chase_buy_count_90d >= 2), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "market_quotes"
   ],
   "features": [
    "limit_up_chase_buy_count_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "loss_aversion",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Loss aversion (holds losers, sells winners)",
   "name_zh": "损失厌恶（持亏卖盈）",
   "sql": "COALESCE((disposition_effect_90d >= CAST(0.2 AS DOUBLE) OR (deep_loss_position_share >= CAST(0.3 AS DOUBLE) AND proportion_losses_realised_90d < CAST(0.05 AS DOUBLE))), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "market_quotes"
   ],
   "features": [
    "deep_loss_position_share",
    "proportion_losses_realised_90d",
    "disposition_effect_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "loss_aversion_score",
   "family": "emotion_radar",
   "type": "score",
   "name_en": "Loss-aversion score",
   "name_zh": "损失厌恶指数",
   "sql": "CAST(CAST(CAST(0.5 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((disposition_effect_90d / CAST(0.4 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.3 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((deep_loss_position_share / CAST(0.5 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.2 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((unrealised_loss_position_share) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) AS DECIMAL(20, 10)) AS DECIMAL(5, 4))",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "market_quotes"
   ],
   "features": [
    "unrealised_loss_position_share",
    "deep_loss_position_share",
    "disposition_effect_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "disposition_effect_band",
   "family": "emotion_radar",
   "type": "bucket",
   "name_en": "Disposition effect (PGR − PLR)",
   "name_zh": "处置效应强度",
   "sql": "CASE WHEN (disposition_effect_90d) IS NULL THEN NULL WHEN (disposition_effect_90d) < CAST(-0.1 AS DOUBLE) THEN \'reverse\' WHEN (disposition_effect_90d) < CAST(0.1 AS DOUBLE) THEN \'neutral\' WHEN (disposition_effect_90d) < CAST(0.3 AS DOUBLE) THEN \'moderate\' ELSE \'strong\' END",
   "values": [
    "reverse",
    "neutral",
    "moderate",
    "strong"
   ],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "market_quotes"
   ],
   "features": [
    "disposition_effect_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "gain_taker",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Takes profits readily",
   "name_zh": "获利了结型",
   "sql": "COALESCE((proportion_gains_realised_90d >= CAST(0.5 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "market_quotes"
   ],
   "features": [
    "proportion_gains_realised_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "anchored_to_losers",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Half the stock book deep in loss and kept",
   "name_zh": "深套不动",
   "sql": "COALESCE((deep_loss_position_share >= CAST(0.5 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions"
   ],
   "features": [
    "deep_loss_position_share"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "loss_chasing",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Trades more after losing",
   "name_zh": "亏损后加大交易（回本心态）",
   "sql": "COALESCE((realised_pnl_90d < 0 AND trade_count_30d >= 5 AND trade_count_30d / CAST(30.0 AS DOUBLE) >= CAST(1.5 AS DOUBLE) * trade_count_prev_60d / CAST(60.0 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions"
   ],
   "features": [
    "trade_count_30d",
    "trade_count_prev_60d",
    "realised_pnl_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "overconfidence_score",
   "family": "emotion_radar",
   "type": "score",
   "name_en": "Overconfidence score",
   "name_zh": "过度自信指数",
   "sql": "CAST(CAST(CAST(0.4 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((turnover_ratio_30d / CAST(5.0 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.3 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST(((CAST(0.5 AS DOUBLE) - realised_win_rate_90d) / CAST(0.5 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.3 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((largest_position_share) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) AS DECIMAL(20, 10)) AS DECIMAL(5, 4))",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "largest_position_share",
    "turnover_ratio_30d",
    "realised_win_rate_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "emotional_state",
   "family": "emotion_radar",
   "type": "category",
   "name_en": "Dominant investing emotion",
   "name_zh": "主导投资情绪",
   "sql": "CASE WHEN equity_market_value = 0 AND trade_count_90d = 0 THEN \'no_equity_exposure\' WHEN drawdown_sell_share_90d >= CAST(0.05 AS DOUBLE) THEN \'fearful\' WHEN post_rally_buy_share_90d >= CAST(0.3 AS DOUBLE) OR limit_up_chase_buy_count_90d >= 3 THEN \'greedy\' WHEN deep_loss_position_share >= CAST(0.3 AS DOUBLE) THEN \'stressed\' ELSE \'calm\' END",
   "values": [
    "no_equity_exposure",
    "fearful",
    "greedy",
    "stressed",
    "calm"
   ],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "market_quotes"
   ],
   "features": [
    "equity_market_value",
    "deep_loss_position_share",
    "trade_count_90d",
    "drawdown_sell_share_90d",
    "post_rally_buy_share_90d",
    "limit_up_chase_buy_count_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "investor_care_priority",
   "family": "emotion_radar",
   "type": "boolean",
   "name_en": "Needs investor-care outreach",
   "name_zh": "需投资者关怀",
   "sql": "COALESCE((equity_unrealised_pnl_ratio <= -CAST(0.2 AS DOUBLE) OR deep_loss_position_share >= CAST(0.3 AS DOUBLE) OR drawdown_sell_share_90d >= CAST(0.05 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "market_quotes"
   ],
   "features": [
    "equity_unrealised_pnl_ratio",
    "deep_loss_position_share",
    "drawdown_sell_share_90d"
   ],
   "version": 1,
   "owner": "investor-care"
  },
  {
   "id": "fund_lover",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Fund lover (≥ 60% of products in funds)",
   "name_zh": "基金爱好者（基金占理财60%以上）",
   "sql": "COALESCE((wealth_share_fund >= CAST(0.6 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "wealth_share_fund"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "fixed_income_preference",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Fixed-income preference",
   "name_zh": "偏好固定收益",
   "sql": "COALESCE((fixed_income_share >= CAST(0.3 AS DOUBLE) OR wealth_share_bond >= CAST(0.5 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "wealth_share_bond",
    "fixed_income_share"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "structured_product_user",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Holds structured notes",
   "name_zh": "结构化产品用户",
   "sql": "COALESCE((structured_share > 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "structured_share"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "insurance_holder",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Holds insurance products",
   "name_zh": "持有保险产品",
   "sql": "COALESCE((wealth_share_insurance > 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "wealth_share_insurance"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "dominant_product_type",
   "family": "wealth_preference",
   "type": "category",
   "name_en": "Dominant wealth product type",
   "name_zh": "主要理财品类",
   "sql": "CASE WHEN wealth_market_value = 0 THEN \'none\' WHEN wealth_share_fund >= GREATEST(wealth_share_bond, wealth_share_structured, wealth_share_insurance) THEN \'fund\' WHEN wealth_share_bond >= GREATEST(wealth_share_structured, wealth_share_insurance) THEN \'bond\' WHEN wealth_share_structured >= wealth_share_insurance THEN \'structured\' ELSE \'insurance\' END",
   "values": [
    "none",
    "fund",
    "bond",
    "structured",
    "insurance"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "wealth_market_value",
    "wealth_share_fund",
    "wealth_share_bond",
    "wealth_share_structured",
    "wealth_share_insurance"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "product_type_diversity",
   "family": "wealth_preference",
   "type": "bucket",
   "name_en": "Number of wealth product types held",
   "name_zh": "理财品类多样性",
   "sql": "CASE WHEN (CASE WHEN wealth_share_fund > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_bond > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_structured > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_insurance > 0 THEN 1 ELSE 0 END) IS NULL THEN NULL WHEN (CASE WHEN wealth_share_fund > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_bond > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_structured > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_insurance > 0 THEN 1 ELSE 0 END) < 1 THEN \'none\' WHEN (CASE WHEN wealth_share_fund > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_bond > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_structured > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_insurance > 0 THEN 1 ELSE 0 END) < 2 THEN \'single_type\' WHEN (CASE WHEN wealth_share_fund > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_bond > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_structured > 0 THEN 1 ELSE 0 END + CASE WHEN wealth_share_insurance > 0 THEN 1 ELSE 0 END) < 3 THEN \'two_types\' ELSE \'three_plus_types\' END",
   "values": [
    "none",
    "single_type",
    "two_types",
    "three_plus_types"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "wealth_share_fund",
    "wealth_share_bond",
    "wealth_share_structured",
    "wealth_share_insurance"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "multi_product_holder",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Holds three or more products",
   "name_zh": "持有3只以上理财产品",
   "sql": "COALESCE((wealth_product_count >= 3), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_holdings"
   ],
   "features": [
    "wealth_product_count"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "wealth_only_customer",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Wealth products only, no stock trading",
   "name_zh": "纯理财客户",
   "sql": "COALESCE((wealth_market_value > 0 AND equity_market_value = 0 AND trade_count_90d = 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "equity_market_value",
    "wealth_market_value",
    "trade_count_90d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "wealth_cross_sell_prospect",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Stock investor without wealth products",
   "name_zh": "理财交叉销售潜客",
   "sql": "COALESCE((equity_market_value >= 50000 AND wealth_market_value = 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "equity_market_value",
    "wealth_market_value"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "active_subscriber",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Subscribed three or more times in 90 days",
   "name_zh": "近90天活跃申购",
   "sql": "COALESCE((wealth_subscription_count_90d >= 3), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_transactions"
   ],
   "features": [
    "wealth_subscription_count_90d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "subscription_amount_band",
   "family": "wealth_preference",
   "type": "bucket",
   "name_en": "Amount subscribed in 90 days",
   "name_zh": "近90天申购金额区间",
   "sql": "CASE WHEN (wealth_subscription_amount_90d) IS NULL THEN NULL WHEN (wealth_subscription_amount_90d) < 1 THEN \'none\' WHEN (wealth_subscription_amount_90d) < 10000 THEN \'under_10k\' WHEN (wealth_subscription_amount_90d) < 100000 THEN \'k10_100k\' WHEN (wealth_subscription_amount_90d) < 1000000 THEN \'k100_1m\' ELSE \'over_1m\' END",
   "values": [
    "none",
    "under_10k",
    "k10_100k",
    "k100_1m",
    "over_1m"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_transactions"
   ],
   "features": [
    "wealth_subscription_amount_90d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "net_redeemer_90d",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Redeemed more than subscribed in 90 days",
   "name_zh": "近90天净赎回",
   "sql": "COALESCE((wealth_redemption_amount_90d > wealth_subscription_amount_90d), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_transactions"
   ],
   "features": [
    "wealth_subscription_amount_90d",
    "wealth_redemption_amount_90d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "frequent_redeemer",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Redeemed three or more times in 90 days",
   "name_zh": "近90天频繁赎回",
   "sql": "COALESCE((wealth_redemption_count_90d >= 3), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_transactions"
   ],
   "features": [
    "wealth_redemption_count_90d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "income_seeker",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Income seeker (dividends, bonds)",
   "name_zh": "追求稳定收益",
   "sql": "COALESCE((wealth_dividend_amount_90d > 0 AND COALESCE(wealth_share_bond, 0) >= CAST(0.3 AS DOUBLE)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_products",
    "wealth_holdings",
    "wealth_transactions"
   ],
   "features": [
    "wealth_share_bond",
    "wealth_dividend_amount_90d"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "fx_wealth_holder",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Holds USD/HKD products",
   "name_zh": "持有外币理财",
   "sql": "COALESCE((foreign_currency_wealth_share > 0), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "foreign_currency_wealth_share"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "low_risk_wealth_preference",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Prefers low-risk products (R1–R2 weighted)",
   "name_zh": "偏好低风险理财（R1-R2）",
   "sql": "COALESCE((wealth_risk_level_weighted <= 2), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "wealth_risk_level_weighted"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "idle_wealth_holder",
   "family": "wealth_preference",
   "type": "boolean",
   "name_en": "Holds products but no subscription/redemption for 180+ days",
   "name_zh": "理财长期未操作",
   "sql": "COALESCE((wealth_market_value > 0 AND COALESCE(days_since_last_wealth_txn, 181) > 180), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_holdings",
    "wealth_transactions"
   ],
   "features": [
    "wealth_market_value",
    "days_since_last_wealth_txn"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "wealth_engagement_score",
   "family": "wealth_preference",
   "type": "score",
   "name_en": "Wealth engagement score",
   "name_zh": "理财活跃度评分",
   "sql": "CAST(CAST(CAST(0.4 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((wealth_subscription_count_90d / CAST(6.0 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.3 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((wealth_product_count / CAST(5.0 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.3 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST(((90 - days_since_last_wealth_txn) / CAST(90.0 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) AS DECIMAL(20, 10)) AS DECIMAL(5, 4))",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_holdings",
    "wealth_transactions"
   ],
   "features": [
    "wealth_product_count",
    "wealth_subscription_count_90d",
    "days_since_last_wealth_txn"
   ],
   "version": 1,
   "owner": "wealth-advisory"
  },
  {
   "id": "churn_risk_score",
   "family": "churn_engagement",
   "type": "score",
   "name_en": "Churn risk score",
   "name_zh": "流失风险评分",
   "sql": "CAST(CAST(CAST(0.3 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((COALESCE(days_since_last_activity, account_age_days) / CAST(60.0 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.25 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((-active_days_trend_30d_vs_prev_60d) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.25 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((balance_outflow_30d / NULLIF(total_assets_30d_ago, 0) / CAST(0.5 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.1 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((wealth_redemption_amount_30d / NULLIF(wealth_market_value + wealth_redemption_amount_30d, 0)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.1 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((1 - (trade_count_30d / CAST(30.0 AS DOUBLE)) / NULLIF(trade_count_prev_60d / CAST(60.0 AS DOUBLE), 0)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) AS DECIMAL(20, 10)) AS DECIMAL(5, 4))",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "positions",
    "wealth_holdings",
    "wealth_transactions"
   ],
   "features": [
    "account_age_days",
    "wealth_market_value",
    "total_assets_30d_ago",
    "balance_outflow_30d",
    "trade_count_30d",
    "trade_count_prev_60d",
    "wealth_redemption_amount_30d",
    "active_days_trend_30d_vs_prev_60d",
    "days_since_last_activity"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "declining_activity",
   "family": "churn_engagement",
   "type": "boolean",
   "name_en": "Activity halved versus the two months before",
   "name_zh": "活跃度下降",
   "sql": "COALESCE((active_days_trend_30d_vs_prev_60d <= -CAST(0.5 AS DOUBLE) AND active_days_prev_60d >= 4), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "wealth_transactions"
   ],
   "features": [
    "active_days_prev_60d",
    "active_days_trend_30d_vs_prev_60d"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "activity_trend",
   "family": "churn_engagement",
   "type": "category",
   "name_en": "Activity trend (30 days vs 60 before)",
   "name_zh": "活跃趋势",
   "sql": "CASE WHEN active_days_30d = 0 AND active_days_prev_60d = 0 THEN \'inactive\' WHEN active_days_prev_60d = 0 THEN \'newly_active\' WHEN active_days_30d = 0 THEN \'stopped\' WHEN active_days_trend_30d_vs_prev_60d >= CAST(0.5 AS DOUBLE) THEN \'rising\' WHEN active_days_trend_30d_vs_prev_60d <= -CAST(0.5 AS DOUBLE) THEN \'declining\' ELSE \'stable\' END",
   "values": [
    "inactive",
    "newly_active",
    "stopped",
    "rising",
    "declining",
    "stable"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "wealth_transactions"
   ],
   "features": [
    "active_days_30d",
    "active_days_prev_60d",
    "active_days_trend_30d_vs_prev_60d"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "engagement_level",
   "family": "churn_engagement",
   "type": "bucket",
   "name_en": "Active days this month",
   "name_zh": "月活跃天数等级",
   "sql": "CASE WHEN (active_days_30d) IS NULL THEN NULL WHEN (active_days_30d) < 1 THEN \'inactive\' WHEN (active_days_30d) < 4 THEN \'low\' WHEN (active_days_30d) < 10 THEN \'medium\' WHEN (active_days_30d) < 20 THEN \'high\' ELSE \'very_high\' END",
   "values": [
    "inactive",
    "low",
    "medium",
    "high",
    "very_high"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "wealth_transactions"
   ],
   "features": [
    "active_days_30d"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "power_user",
   "family": "churn_engagement",
   "type": "boolean",
   "name_en": "Power user (15+ active days a month)",
   "name_zh": "高活跃用户",
   "sql": "COALESCE((active_days_30d >= 15), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "wealth_transactions"
   ],
   "features": [
    "active_days_30d"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "recency_band",
   "family": "churn_engagement",
   "type": "bucket",
   "name_en": "Time since last activity",
   "name_zh": "最近活跃时间",
   "sql": "CASE WHEN (days_since_last_activity) IS NULL THEN NULL WHEN (days_since_last_activity) < 7 THEN \'this_week\' WHEN (days_since_last_activity) < 30 THEN \'this_month\' WHEN (days_since_last_activity) < 90 THEN \'this_quarter\' WHEN (days_since_last_activity) < 180 THEN \'half_year\' ELSE \'over_half_year\' END",
   "values": [
    "this_week",
    "this_month",
    "this_quarter",
    "half_year",
    "over_half_year"
   ],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "wealth_transactions"
   ],
   "features": [
    "days_since_last_activity"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "lapsing_trader",
   "family": "churn_engagement",
   "type": "boolean",
   "name_en": "Stopped trading 30–90 days ago",
   "name_zh": "交易流失预警（30-90天未交易）",
   "sql": "COALESCE((days_since_last_trade BETWEEN 30 AND 90), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "days_since_last_trade"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "lapsed_trader",
   "family": "churn_engagement",
   "type": "boolean",
   "name_en": "No trade for 90+ days",
   "name_zh": "已停止交易（90天以上）",
   "sql": "COALESCE((days_since_last_trade > 90), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "days_since_last_trade"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "never_traded",
   "family": "churn_engagement",
   "type": "boolean",
   "name_en": "Never traded",
   "name_zh": "从未交易",
   "sql": "COALESCE((days_since_last_trade IS NULL), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "days_since_last_trade"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "asset_outflow_alert",
   "family": "churn_engagement",
   "type": "boolean",
   "name_en": "Large asset outflow this month",
   "name_zh": "资产大额流出预警",
   "sql": "COALESCE((balance_outflow_30d >= 100000 AND balance_outflow_30d >= CAST(0.3 AS DOUBLE) * total_assets_30d_ago), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "total_assets_30d_ago",
    "balance_outflow_30d"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "wealth_redemption_surge",
   "family": "churn_engagement",
   "type": "boolean",
   "name_en": "Redeemed half of the wealth book this month",
   "name_zh": "理财集中赎回",
   "sql": "COALESCE((wealth_redemption_amount_30d > 0 AND wealth_redemption_amount_30d >= CAST(0.5 AS DOUBLE) * (wealth_market_value + wealth_redemption_amount_30d)), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "wealth_holdings",
    "wealth_transactions"
   ],
   "features": [
    "wealth_market_value",
    "wealth_redemption_amount_30d"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "hnw_attrition_risk",
   "family": "churn_engagement",
   "type": "boolean",
   "name_en": "High-net-worth customer at risk of leaving",
   "name_zh": "高净值客户流失风险",
   "sql": "COALESCE((total_assets_max_90d > 1000000 AND (balance_outflow_30d >= CAST(0.2 AS DOUBLE) * total_assets_30d_ago OR total_assets <= CAST(0.7 AS DOUBLE) * total_assets_max_90d OR wealth_redemption_amount_30d >= 200000 OR active_days_trend_30d_vs_prev_60d <= -CAST(0.5 AS DOUBLE))), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "marketing",
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "positions",
    "wealth_holdings",
    "wealth_transactions"
   ],
   "features": [
    "total_assets",
    "total_assets_max_90d",
    "total_assets_30d_ago",
    "balance_outflow_30d",
    "wealth_redemption_amount_30d",
    "active_days_trend_30d_vs_prev_60d"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "reactivation_target",
   "family": "churn_engagement",
   "type": "boolean",
   "name_en": "Inactive customer worth reactivating",
   "name_zh": "值得唤醒的沉睡客户",
   "sql": "COALESCE((COALESCE(days_since_last_activity, account_age_days) > 60 AND total_assets >= 10000), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "positions",
    "wealth_holdings",
    "wealth_transactions"
   ],
   "features": [
    "account_age_days",
    "total_assets",
    "days_since_last_activity"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "newly_active",
   "family": "churn_engagement",
   "type": "boolean",
   "name_en": "Active this month after two quiet months",
   "name_zh": "新近回流客户",
   "sql": "COALESCE((active_days_prev_60d = 0 AND active_days_30d > 0 AND account_age_days > 90), FALSE)",
   "values": [],
   "sensitivity": "internal",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "wealth_transactions"
   ],
   "features": [
    "account_age_days",
    "active_days_30d",
    "active_days_prev_60d"
   ],
   "version": 1,
   "owner": "growth-marketing"
  },
  {
   "id": "consumption_capacity_band",
   "family": "scenario_consumption",
   "type": "bucket",
   "name_en": "Consumption capacity (90-day partner spend)",
   "name_zh": "消费能力等级",
   "sql": "CASE WHEN (ecommerce_spend_90d + travel_spend_90d + parenting_spend_90d) IS NULL THEN NULL WHEN (ecommerce_spend_90d + travel_spend_90d + parenting_spend_90d) < 1 THEN \'no_partner_spend\' WHEN (ecommerce_spend_90d + travel_spend_90d + parenting_spend_90d) < 3000 THEN \'low\' WHEN (ecommerce_spend_90d + travel_spend_90d + parenting_spend_90d) < 10000 THEN \'medium\' WHEN (ecommerce_spend_90d + travel_spend_90d + parenting_spend_90d) < 30000 THEN \'high\' WHEN (ecommerce_spend_90d + travel_spend_90d + parenting_spend_90d) < 100000 THEN \'very_high\' ELSE \'top\' END",
   "values": [
    "no_partner_spend",
    "low",
    "medium",
    "high",
    "very_high",
    "top"
   ],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "partner_credit_assessment",
    "research"
   ],
   "partners": [
    "ecom_mall",
    "trip_ota",
    "kids_edu"
   ],
   "lineage": [
    "ecommerce_orders",
    "travel_bookings",
    "parenting_spend"
   ],
   "features": [
    "ecommerce_spend_90d",
    "travel_spend_90d",
    "parenting_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "travel_lover",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Travel lover",
   "name_zh": "旅行爱好者",
   "sql": "COALESCE((travel_booking_count_90d >= 3 OR airport_visit_count_90d >= 4), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "trip_ota",
    "geo_telco"
   ],
   "lineage": [
    "travel_bookings",
    "geo_events"
   ],
   "features": [
    "travel_booking_count_90d",
    "airport_visit_count_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "cross_border_traveller",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Cross-border traveller",
   "name_zh": "跨境出行人群",
   "sql": "COALESCE((international_trip_count_90d >= 1), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "trip_ota"
   ],
   "lineage": [
    "travel_bookings"
   ],
   "features": [
    "international_trip_count_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "frequent_international_traveller",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Frequent international traveller",
   "name_zh": "高频出境人群",
   "sql": "COALESCE((international_trip_count_90d >= 3 OR distinct_destination_countries_90d >= 2), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "trip_ota"
   ],
   "lineage": [
    "travel_bookings"
   ],
   "features": [
    "international_trip_count_90d",
    "distinct_destination_countries_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "domestic_traveller",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Travels in China only",
   "name_zh": "国内游人群",
   "sql": "COALESCE((travel_booking_count_90d >= 1 AND international_trip_count_90d = 0), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "trip_ota"
   ],
   "lineage": [
    "travel_bookings"
   ],
   "features": [
    "travel_booking_count_90d",
    "international_trip_count_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "travel_spend_band",
   "family": "scenario_consumption",
   "type": "bucket",
   "name_en": "Travel spend in 90 days",
   "name_zh": "近90天旅行消费区间",
   "sql": "CASE WHEN (travel_spend_90d) IS NULL THEN NULL WHEN (travel_spend_90d) < 1 THEN \'none\' WHEN (travel_spend_90d) < 5000 THEN \'under_5k\' WHEN (travel_spend_90d) < 20000 THEN \'k5_20k\' WHEN (travel_spend_90d) < 50000 THEN \'k20_50k\' ELSE \'over_50k\' END",
   "values": [
    "none",
    "under_5k",
    "k5_20k",
    "k20_50k",
    "over_50k"
   ],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "partner_credit_assessment",
    "research"
   ],
   "partners": [
    "trip_ota"
   ],
   "lineage": [
    "travel_bookings"
   ],
   "features": [
    "travel_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "recent_trip_booker",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Booked travel in the last 30 days",
   "name_zh": "近30天预订出行",
   "sql": "COALESCE((travel_spend_30d > 0), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing"
   ],
   "partners": [
    "trip_ota"
   ],
   "lineage": [
    "travel_bookings"
   ],
   "features": [
    "travel_spend_30d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "airport_visit_7d",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Seen at an airport in the last 7 days",
   "name_zh": "近7天到访机场",
   "sql": "COALESCE((airport_visit_count_7d > 0), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing"
   ],
   "partners": [
    "geo_telco"
   ],
   "lineage": [
    "geo_events"
   ],
   "features": [
    "airport_visit_count_7d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "airport_recency",
   "family": "scenario_consumption",
   "type": "bucket",
   "name_en": "Time since last airport visit",
   "name_zh": "最近一次到访机场",
   "sql": "CASE WHEN (days_since_last_airport_visit) IS NULL THEN NULL WHEN (days_since_last_airport_visit) < 8 THEN \'this_week\' WHEN (days_since_last_airport_visit) < 31 THEN \'this_month\' WHEN (days_since_last_airport_visit) < 91 THEN \'this_quarter\' ELSE \'longer_ago\' END",
   "values": [
    "this_week",
    "this_month",
    "this_quarter",
    "longer_ago"
   ],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "geo_telco"
   ],
   "lineage": [
    "geo_events"
   ],
   "features": [
    "days_since_last_airport_visit"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "travel_insurance_trigger",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Travel-insurance moment",
   "name_zh": "旅行险营销时机",
   "sql": "COALESCE((airport_visit_count_7d > 0 OR upcoming_international_trip_30d), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing"
   ],
   "partners": [
    "trip_ota",
    "geo_telco"
   ],
   "lineage": [
    "travel_bookings",
    "geo_events"
   ],
   "features": [
    "upcoming_international_trip_30d",
    "airport_visit_count_7d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "fx_need_trigger",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Foreign-exchange need",
   "name_zh": "换汇需求时机",
   "sql": "COALESCE((upcoming_international_trip_30d OR (airport_visit_count_7d > 0 AND international_trip_count_90d > 0)), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing"
   ],
   "partners": [
    "trip_ota",
    "geo_telco"
   ],
   "lineage": [
    "travel_bookings",
    "geo_events"
   ],
   "features": [
    "international_trip_count_90d",
    "upcoming_international_trip_30d",
    "airport_visit_count_7d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "global_allocation_prospect",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Travels abroad but holds no foreign-currency products",
   "name_zh": "全球资产配置潜客",
   "sql": "COALESCE((international_trip_count_90d >= 1 AND COALESCE(foreign_currency_wealth_share, 0) = 0 AND total_assets >= 300000), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "trip_ota"
   ],
   "lineage": [
    "positions",
    "wealth_products",
    "wealth_holdings",
    "travel_bookings"
   ],
   "features": [
    "total_assets",
    "foreign_currency_wealth_share",
    "international_trip_count_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "multi_city_mover",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Seen in four or more cities in 90 days",
   "name_zh": "多城市活动人群",
   "sql": "COALESCE((distinct_cities_visited_90d >= 4), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "geo_telco"
   ],
   "lineage": [
    "geo_events"
   ],
   "features": [
    "distinct_cities_visited_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "mall_goer",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Visits shopping malls weekly",
   "name_zh": "商场常客",
   "sql": "COALESCE((mall_visit_count_30d >= 4), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "geo_telco"
   ],
   "lineage": [
    "geo_events"
   ],
   "features": [
    "mall_visit_count_30d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "frequent_online_shopper",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Frequent online shopper (8+ orders a month)",
   "name_zh": "网购达人",
   "sql": "COALESCE((ecommerce_order_count_30d >= 8), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "ecom_mall"
   ],
   "lineage": [
    "ecommerce_orders"
   ],
   "features": [
    "ecommerce_order_count_30d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "online_spend_band",
   "family": "scenario_consumption",
   "type": "bucket",
   "name_en": "Mall spend in 90 days",
   "name_zh": "近90天网购消费区间",
   "sql": "CASE WHEN (ecommerce_spend_90d) IS NULL THEN NULL WHEN (ecommerce_spend_90d) < 1 THEN \'none\' WHEN (ecommerce_spend_90d) < 1000 THEN \'under_1k\' WHEN (ecommerce_spend_90d) < 5000 THEN \'k1_5k\' WHEN (ecommerce_spend_90d) < 20000 THEN \'k5_20k\' WHEN (ecommerce_spend_90d) < 100000 THEN \'k20_100k\' ELSE \'over_100k\' END",
   "values": [
    "none",
    "under_1k",
    "k1_5k",
    "k5_20k",
    "k20_100k",
    "over_100k"
   ],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "partner_credit_assessment",
    "research"
   ],
   "partners": [
    "ecom_mall"
   ],
   "lineage": [
    "ecommerce_orders"
   ],
   "features": [
    "ecommerce_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "average_order_value_band",
   "family": "scenario_consumption",
   "type": "bucket",
   "name_en": "Average paid order value (90 days)",
   "name_zh": "客单价区间",
   "sql": "CASE WHEN (ecommerce_spend_90d / NULLIF(ecommerce_order_count_90d, 0)) IS NULL THEN NULL WHEN (ecommerce_spend_90d / NULLIF(ecommerce_order_count_90d, 0)) < 100 THEN \'under_100\' WHEN (ecommerce_spend_90d / NULLIF(ecommerce_order_count_90d, 0)) < 500 THEN \'yuan_100_500\' WHEN (ecommerce_spend_90d / NULLIF(ecommerce_order_count_90d, 0)) < 2000 THEN \'yuan_500_2000\' ELSE \'over_2000\' END",
   "values": [
    "under_100",
    "yuan_100_500",
    "yuan_500_2000",
    "over_2000"
   ],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "ecom_mall"
   ],
   "lineage": [
    "ecommerce_orders"
   ],
   "features": [
    "ecommerce_order_count_90d",
    "ecommerce_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "spend_accelerating",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Mall spend concentrated in the last month",
   "name_zh": "近期消费加速",
   "sql": "COALESCE((ecommerce_spend_30d >= 1000 AND ecommerce_spend_30d >= CAST(0.6 AS DOUBLE) * ecommerce_spend_90d), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "ecom_mall"
   ],
   "lineage": [
    "ecommerce_orders"
   ],
   "features": [
    "ecommerce_spend_30d",
    "ecommerce_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "serial_refunder",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Refunds three or more orders in 90 days",
   "name_zh": "频繁退货",
   "sql": "COALESCE((ecommerce_refund_count_90d >= 3), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "partner_credit_assessment",
    "risk_control",
    "research"
   ],
   "partners": [
    "ecom_mall"
   ],
   "lineage": [
    "ecommerce_orders"
   ],
   "features": [
    "ecommerce_refund_count_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "luxury_shopper",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Luxury shopper",
   "name_zh": "奢侈品消费者",
   "sql": "COALESCE((luxury_share_90d >= CAST(0.3 AS DOUBLE) OR luxury_spend_90d >= 20000), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "ecom_mall"
   ],
   "lineage": [
    "ecommerce_orders"
   ],
   "features": [
    "luxury_spend_90d",
    "luxury_share_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "tech_gadget_fan",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Tech gadget fan",
   "name_zh": "数码发烧友",
   "sql": "COALESCE((electronics_spend_90d >= 5000), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "ecom_mall"
   ],
   "lineage": [
    "ecommerce_orders"
   ],
   "features": [
    "electronics_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "book_lover",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Book lover",
   "name_zh": "爱读书人群",
   "sql": "COALESCE((books_spend_90d >= 500), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "ecom_mall"
   ],
   "lineage": [
    "ecommerce_orders"
   ],
   "features": [
    "books_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "sports_enthusiast",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Sports enthusiast",
   "name_zh": "运动爱好者",
   "sql": "COALESCE((sports_spend_90d >= 2000), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "ecom_mall"
   ],
   "lineage": [
    "ecommerce_orders"
   ],
   "features": [
    "sports_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "high_spender_low_assets",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Spends a lot elsewhere but keeps little with us",
   "name_zh": "高消费低资产（资产转入潜客）",
   "sql": "COALESCE(((ecommerce_spend_90d + travel_spend_90d) >= 30000 AND total_assets < 100000), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "ecom_mall",
    "trip_ota"
   ],
   "lineage": [
    "positions",
    "wealth_holdings",
    "ecommerce_orders",
    "travel_bookings"
   ],
   "features": [
    "total_assets",
    "ecommerce_spend_90d",
    "travel_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "has_child",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Has a child",
   "name_zh": "有孩家庭",
   "sql": "COALESCE((child_present_365d OR school_visit_count_30d >= 4), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "geo_telco",
    "kids_edu"
   ],
   "lineage": [
    "geo_events",
    "parenting_spend"
   ],
   "features": [
    "school_visit_count_30d",
    "child_present_365d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "new_parent",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "New parent (child under 18 months)",
   "name_zh": "新手父母",
   "sql": "COALESCE((youngest_child_age_months <= 18 OR (youngest_child_age_months IS NULL AND infant_spend_90d > 0)), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "kids_edu"
   ],
   "lineage": [
    "parenting_spend"
   ],
   "features": [
    "infant_spend_90d",
    "youngest_child_age_months"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "child_age_stage",
   "family": "scenario_consumption",
   "type": "bucket",
   "name_en": "Youngest child\'s stage",
   "name_zh": "孩子成长阶段",
   "sql": "CASE WHEN (youngest_child_age_months) IS NULL THEN NULL WHEN (youngest_child_age_months) < 12 THEN \'infant\' WHEN (youngest_child_age_months) < 36 THEN \'toddler\' WHEN (youngest_child_age_months) < 72 THEN \'preschool\' WHEN (youngest_child_age_months) < 144 THEN \'primary_school\' ELSE \'secondary_school\' END",
   "values": [
    "infant",
    "toddler",
    "preschool",
    "primary_school",
    "secondary_school"
   ],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "kids_edu"
   ],
   "lineage": [
    "parenting_spend"
   ],
   "features": [
    "youngest_child_age_months"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "school_run_parent",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Does the school run",
   "name_zh": "接送孩子上学的家长",
   "sql": "COALESCE((school_visit_count_30d >= 8), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "geo_telco"
   ],
   "lineage": [
    "geo_events"
   ],
   "features": [
    "school_visit_count_30d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "education_spend",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Spends on education",
   "name_zh": "有教育支出",
   "sql": "COALESCE((education_spend_90d > 0), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "kids_edu"
   ],
   "lineage": [
    "parenting_spend"
   ],
   "features": [
    "education_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "education_spend_band",
   "family": "scenario_consumption",
   "type": "bucket",
   "name_en": "Education spend in 90 days",
   "name_zh": "近90天教育支出区间",
   "sql": "CASE WHEN (education_spend_90d) IS NULL THEN NULL WHEN (education_spend_90d) < 1 THEN \'none\' WHEN (education_spend_90d) < 2000 THEN \'under_2k\' WHEN (education_spend_90d) < 10000 THEN \'k2_10k\' WHEN (education_spend_90d) < 30000 THEN \'k10_30k\' ELSE \'over_30k\' END",
   "values": [
    "none",
    "under_2k",
    "k2_10k",
    "k10_30k",
    "over_30k"
   ],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "kids_edu"
   ],
   "lineage": [
    "parenting_spend"
   ],
   "features": [
    "education_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "education_fund_trigger",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Education-fund moment",
   "name_zh": "教育金营销时机",
   "sql": "COALESCE((education_spend_90d >= 3000 OR parenting_spend_90d >= 5000), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing"
   ],
   "partners": [
    "kids_edu"
   ],
   "lineage": [
    "parenting_spend"
   ],
   "features": [
    "parenting_spend_90d",
    "education_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "parenting_spend_rising",
   "family": "scenario_consumption",
   "type": "boolean",
   "name_en": "Parenting spend concentrated in the last month",
   "name_zh": "育儿支出近期上升",
   "sql": "COALESCE((parenting_spend_30d >= 1000 AND parenting_spend_30d >= CAST(0.6 AS DOUBLE) * parenting_spend_90d), FALSE)",
   "values": [],
   "sensitivity": "partner_derived",
   "purposes": [
    "marketing",
    "research"
   ],
   "partners": [
    "kids_edu"
   ],
   "lineage": [
    "parenting_spend"
   ],
   "features": [
    "parenting_spend_30d",
    "parenting_spend_90d"
   ],
   "version": 1,
   "owner": "partner-ecosystem"
  },
  {
   "id": "wash_trade_like_round_trips",
   "family": "compliance",
   "type": "boolean",
   "name_en": "Wash-trade-like round trips",
   "name_zh": "疑似对敲（同日等量往返交易）",
   "sql": "COALESCE((wash_like_round_trips_90d >= 3), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "wash_like_round_trips_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "frequent_same_day_round_trips",
   "family": "compliance",
   "type": "boolean",
   "name_en": "Ten or more same-day round trips this month",
   "name_zh": "频繁日内回转交易",
   "sql": "COALESCE((same_day_round_trips_30d >= 10), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "same_day_round_trips_30d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "round_trip_count_band",
   "family": "compliance",
   "type": "bucket",
   "name_en": "Same-day round trips in 90 days",
   "name_zh": "近90天日内回转次数区间",
   "sql": "CASE WHEN (same_day_round_trips_90d) IS NULL THEN NULL WHEN (same_day_round_trips_90d) < 1 THEN \'none\' WHEN (same_day_round_trips_90d) < 5 THEN \'few\' WHEN (same_day_round_trips_90d) < 20 THEN \'some\' WHEN (same_day_round_trips_90d) < 60 THEN \'many\' ELSE \'extreme\' END",
   "values": [
    "none",
    "few",
    "some",
    "many",
    "extreme"
   ],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "same_day_round_trips_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "round_trip_amount_band",
   "family": "compliance",
   "type": "bucket",
   "name_en": "Amount traded in same-day round trips, 90 days",
   "name_zh": "日内回转成交金额区间",
   "sql": "CASE WHEN (same_day_round_trip_amount_90d) IS NULL THEN NULL WHEN (same_day_round_trip_amount_90d) < 1 THEN \'none\' WHEN (same_day_round_trip_amount_90d) < 100000 THEN \'under_100k\' WHEN (same_day_round_trip_amount_90d) < 1000000 THEN \'k100_1m\' WHEN (same_day_round_trip_amount_90d) < 10000000 THEN \'m1_10m\' ELSE \'over_10m\' END",
   "values": [
    "none",
    "under_100k",
    "k100_1m",
    "m1_10m",
    "over_10m"
   ],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "same_day_round_trip_amount_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "trading_burst",
   "family": "compliance",
   "type": "boolean",
   "name_en": "Trading burst (5× own daily norm)",
   "name_zh": "交易笔数异常激增",
   "sql": "COALESCE((max_daily_trade_count_7d >= 20 AND max_daily_trade_count_7d >= 5 * median_daily_trade_count_90d), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "max_daily_trade_count_7d",
    "median_daily_trade_count_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "amount_burst",
   "family": "compliance",
   "type": "boolean",
   "name_en": "Amount burst (5× own daily norm)",
   "name_zh": "成交金额异常激增",
   "sql": "COALESCE((max_daily_trade_amount_7d >= 1000000 AND max_daily_trade_amount_7d >= 5 * median_daily_trade_amount_90d), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "max_daily_trade_amount_7d",
    "median_daily_trade_amount_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "burst_ratio_band",
   "family": "compliance",
   "type": "bucket",
   "name_en": "Busiest day this month vs own norm",
   "name_zh": "单日交易峰值相对常态倍数",
   "sql": "CASE WHEN (max_daily_trade_count_30d / NULLIF(median_daily_trade_count_90d, 0)) IS NULL THEN NULL WHEN (max_daily_trade_count_30d / NULLIF(median_daily_trade_count_90d, 0)) < 2 THEN \'normal\' WHEN (max_daily_trade_count_30d / NULLIF(median_daily_trade_count_90d, 0)) < 5 THEN \'elevated\' WHEN (max_daily_trade_count_30d / NULLIF(median_daily_trade_count_90d, 0)) < 10 THEN \'burst\' ELSE \'extreme\' END",
   "values": [
    "normal",
    "elevated",
    "burst",
    "extreme"
   ],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "max_daily_trade_count_30d",
    "median_daily_trade_count_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "marking_the_close_pattern",
   "family": "compliance",
   "type": "boolean",
   "name_en": "Trades concentrated in the last ten minutes",
   "name_zh": "尾盘集中交易",
   "sql": "COALESCE((closing_window_trade_share_30d >= CAST(0.5 AS DOUBLE) AND trade_count_30d >= 10), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "trade_count_30d",
    "closing_window_trade_share_30d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "single_symbol_concentration",
   "family": "compliance",
   "type": "boolean",
   "name_en": "One stock dominates a large traded amount",
   "name_zh": "单一股票集中大额交易",
   "sql": "COALESCE((max_symbol_trade_share_30d >= CAST(0.8 AS DOUBLE) AND trade_amount_30d >= 1000000), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "trade_amount_30d",
    "max_symbol_trade_share_30d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "large_trade_activity",
   "family": "compliance",
   "type": "boolean",
   "name_en": "Fills of 1M CNY or more this month",
   "name_zh": "大额成交（单笔100万元以上）",
   "sql": "COALESCE((large_trade_count_30d >= 1), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "large_trade_count_30d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "new_account_heavy_trading",
   "family": "compliance",
   "type": "boolean",
   "name_en": "New account trading heavily",
   "name_zh": "新开户大额频繁交易",
   "sql": "COALESCE((account_age_days <= 90 AND (trade_amount_30d >= 1000000 OR turnover_ratio_30d >= 10)), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "trades",
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "account_age_days",
    "trade_amount_30d",
    "turnover_ratio_30d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "turnover_far_above_assets",
   "family": "compliance",
   "type": "boolean",
   "name_en": "Monthly turnover 20× assets",
   "name_zh": "成交额远超资产规模",
   "sql": "COALESCE((turnover_ratio_30d >= 20), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades",
    "positions",
    "wealth_holdings"
   ],
   "features": [
    "turnover_ratio_30d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "dormant_account_sudden_trading",
   "family": "compliance",
   "type": "boolean",
   "name_en": "Quiet account suddenly trading large amounts",
   "name_zh": "沉寂账户突发大额交易",
   "sql": "COALESCE((active_days_prev_60d = 0 AND trade_amount_7d >= 500000), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control"
   ],
   "partners": [],
   "lineage": [
    "customers",
    "risk_assessments",
    "trades",
    "wealth_transactions"
   ],
   "features": [
    "trade_amount_7d",
    "active_days_prev_60d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "margin_without_valid_assessment",
   "family": "compliance",
   "type": "boolean",
   "name_en": "Trades on margin without a valid risk assessment",
   "name_zh": "风测无效仍融资交易",
   "sql": "COALESCE((margin_trade_share_90d > 0 AND (customer_risk_level IS NULL OR risk_assessment_days_to_expiry < 0)), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments",
    "trades"
   ],
   "features": [
    "customer_risk_level",
    "risk_assessment_days_to_expiry",
    "margin_trade_share_90d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "material_unsuitable_holdings",
   "family": "compliance",
   "type": "boolean",
   "name_en": "100k CNY or more in products above own risk level",
   "name_zh": "大额持有超风险等级产品",
   "sql": "COALESCE((holdings_above_risk_level_value >= 100000), FALSE)",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control"
   ],
   "partners": [],
   "lineage": [
    "risk_assessments",
    "wealth_products",
    "wealth_holdings"
   ],
   "features": [
    "holdings_above_risk_level_value"
   ],
   "version": 1,
   "owner": "risk-compliance"
  },
  {
   "id": "abnormal_trading_score",
   "family": "compliance",
   "type": "score",
   "name_en": "Abnormal trading score",
   "name_zh": "异常交易评分",
   "sql": "CAST(CAST(CAST(0.3 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST(((max_daily_trade_count_7d / NULLIF(median_daily_trade_count_90d, 0) - 1) / CAST(9.0 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.25 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((wash_like_round_trips_90d / CAST(5.0 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.15 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((intraday_trade_share_90d) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.15 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST(((closing_window_trade_share_30d - CAST(0.1 AS DOUBLE)) / CAST(0.5 AS DOUBLE)) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) + CAST(0.15 AS DOUBLE) * COALESCE(LEAST(GREATEST(CAST((max_symbol_trade_share_30d) AS DOUBLE), CAST(0 AS DOUBLE)), CAST(1 AS DOUBLE)), CAST(0 AS DOUBLE)) AS DECIMAL(20, 10)) AS DECIMAL(5, 4))",
   "values": [],
   "sensitivity": "sensitive",
   "purposes": [
    "risk_control",
    "research"
   ],
   "partners": [],
   "lineage": [
    "trades"
   ],
   "features": [
    "intraday_trade_share_90d",
    "max_daily_trade_count_7d",
    "median_daily_trade_count_90d",
    "wash_like_round_trips_90d",
    "closing_window_trade_share_30d",
    "max_symbol_trade_share_30d"
   ],
   "version": 1,
   "owner": "risk-compliance"
  }
 ]
}')) }}{% endmacro %}
