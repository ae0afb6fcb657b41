-- Partner scenario data. A partner row belongs to a customer through a 'linked' partner link
-- of this as_of: same source and partner user, the row's identifier token is the link token,
-- and the row's event date lies in the link's validity [valid_from, valid_to).
WITH links AS (
  SELECT source, partner_user_id, matched_on, link_token, valid_from, valid_to, customer_key
  FROM src_partner_links
  WHERE status = 'linked' AND customer_key IS NOT NULL
),
orders AS (
  SELECT l.customer_key, o.category, o.amount, o.status, CAST(o.order_time AS DATE) AS event_date
  FROM src_ecommerce_orders o
  JOIN links l
    ON l.source = 'ecommerce_orders'
    AND l.partner_user_id = o.partner_user_id
    AND l.matched_on = 'phone_token'
    AND l.link_token = o.phone_token
    AND CAST(o.order_time AS DATE) >= l.valid_from
    AND (l.valid_to IS NULL OR CAST(o.order_time AS DATE) < l.valid_to)
  WHERE CAST(o.order_time AS DATE) <= {as_of}
),
bookings AS (
  SELECT
    l.customer_key, b.booking_type, b.destination_country, b.travel_date, b.amount,
    CAST(b.booked_at AS DATE) AS booked_date
  FROM src_travel_bookings b
  JOIN links l
    ON l.source = 'travel_bookings'
    AND l.partner_user_id = b.partner_user_id
    AND l.matched_on = 'national_id_token'
    AND l.link_token = b.national_id_token
    AND CAST(b.booked_at AS DATE) >= l.valid_from
    AND (l.valid_to IS NULL OR CAST(b.booked_at AS DATE) < l.valid_to)
  WHERE CAST(b.booked_at AS DATE) <= {as_of}
),
visits AS (
  SELECT l.customer_key, g.place_type, g.city, CAST(g.event_time AS DATE) AS event_date
  FROM src_geo_events g
  JOIN links l
    ON l.source = 'geo_events'
    AND l.partner_user_id = g.partner_user_id
    AND l.matched_on = 'device_id_token'
    AND l.link_token = g.device_id_token
    AND CAST(g.event_time AS DATE) >= l.valid_from
    AND (l.valid_to IS NULL OR CAST(g.event_time AS DATE) < l.valid_to)
  WHERE CAST(g.event_time AS DATE) <= {as_of}
),
parenting AS (
  SELECT
    l.customer_key, s.category, s.amount, s.child_age_months,
    CAST(s.txn_time AS DATE) AS event_date
  FROM src_parenting_spend s
  JOIN links l
    ON l.source = 'parenting_spend'
    AND l.partner_user_id = s.partner_user_id
    AND l.matched_on = 'phone_token'
    AND l.link_token = s.phone_token
    AND CAST(s.txn_time AS DATE) >= l.valid_from
    AND (l.valid_to IS NULL OR CAST(s.txn_time AS DATE) < l.valid_to)
  WHERE CAST(s.txn_time AS DATE) <= {as_of}
),
shopping AS (
  SELECT
    customer_key,
    SUM(CASE WHEN status = 'paid' AND IN_WINDOW(event_date, 30) THEN 1 ELSE 0 END) AS paid_30d,
    SUM(CASE WHEN status = 'paid' AND IN_WINDOW(event_date, 90) THEN 1 ELSE 0 END) AS paid_90d,
    EXACT_SUM(CASE WHEN status = 'paid' AND IN_WINDOW(event_date, 30) THEN amount ELSE 0 END)
      AS spend_30d,
    EXACT_SUM(CASE WHEN status = 'paid' AND IN_WINDOW(event_date, 90) THEN amount ELSE 0 END)
      AS spend_90d,
    SUM(CASE WHEN status = 'refunded' AND IN_WINDOW(event_date, 90) THEN 1 ELSE 0 END)
      AS refunds_90d,
    EXACT_SUM(CASE WHEN status = 'paid' AND IN_WINDOW(event_date, 90) AND category = 'luxury'
             THEN amount ELSE 0 END) AS luxury_90d,
    EXACT_SUM(CASE WHEN status = 'paid' AND IN_WINDOW(event_date, 90) AND category = 'electronics'
             THEN amount ELSE 0 END) AS electronics_90d,
    EXACT_SUM(CASE WHEN status = 'paid' AND IN_WINDOW(event_date, 90) AND category = 'books'
             THEN amount ELSE 0 END) AS books_90d,
    EXACT_SUM(CASE WHEN status = 'paid' AND IN_WINDOW(event_date, 90) AND category = 'sports'
             THEN amount ELSE 0 END) AS sports_90d
  FROM orders
  GROUP BY customer_key
),
travel AS (
  SELECT
    customer_key,
    SUM(CASE WHEN IN_WINDOW(booked_date, 90) THEN 1 ELSE 0 END) AS bookings_90d,
    EXACT_SUM(CASE WHEN IN_WINDOW(booked_date, 30) THEN amount ELSE 0 END) AS spend_30d,
    EXACT_SUM(CASE WHEN IN_WINDOW(booked_date, 90) THEN amount ELSE 0 END) AS spend_90d,
    COUNT(DISTINCT CASE WHEN IN_WINDOW(booked_date, 90) AND destination_country <> 'CN'
                        THEN destination_country END) AS foreign_countries_90d,
    -- Looks forward at departure dates only; every booking read was made by as_of.
    MAX(CASE WHEN destination_country <> 'CN' AND travel_date > {as_of}
                  AND travel_date <= DATE_ADD({as_of}, 30) THEN 1 ELSE 0 END) AS trip_ahead
  FROM bookings
  GROUP BY customer_key
),
international_trips AS (
  SELECT customer_key, COUNT(*) AS trips_90d
  FROM (
    SELECT DISTINCT customer_key, travel_date, destination_country
    FROM bookings
    WHERE IN_WINDOW(booked_date, 90)
      AND booking_type IN ('flight', 'package')
      AND destination_country <> 'CN'
  ) trips
  GROUP BY customer_key
),
places AS (
  SELECT
    customer_key,
    SUM(CASE WHEN place_type = 'airport' AND IN_WINDOW(event_date, 7) THEN 1 ELSE 0 END)
      AS airport_7d,
    SUM(CASE WHEN place_type = 'airport' AND IN_WINDOW(event_date, 90) THEN 1 ELSE 0 END)
      AS airport_90d,
    MAX(CASE WHEN place_type = 'airport' THEN event_date END) AS last_airport_date,
    COUNT(DISTINCT CASE WHEN IN_WINDOW(event_date, 90) THEN city END) AS cities_90d,
    SUM(CASE WHEN place_type = 'mall' AND IN_WINDOW(event_date, 30) THEN 1 ELSE 0 END)
      AS mall_30d,
    SUM(CASE WHEN place_type = 'school' AND IN_WINDOW(event_date, 30) THEN 1 ELSE 0 END)
      AS school_30d
  FROM visits
  GROUP BY customer_key
),
family AS (
  SELECT
    customer_key,
    EXACT_SUM(CASE WHEN IN_WINDOW(event_date, 30) THEN amount ELSE 0 END) AS spend_30d,
    EXACT_SUM(CASE WHEN IN_WINDOW(event_date, 90) THEN amount ELSE 0 END) AS spend_90d,
    EXACT_SUM(CASE WHEN IN_WINDOW(event_date, 90)
                  AND category IN ('tutoring', 'school_fees', 'extracurricular', 'children_books')
             THEN amount ELSE 0 END) AS education_90d,
    EXACT_SUM(CASE WHEN IN_WINDOW(event_date, 90) AND category IN ('infant_formula', 'diapers')
             THEN amount ELSE 0 END) AS infant_90d,
    SUM(CASE WHEN IN_WINDOW(event_date, 365) THEN 1 ELSE 0 END) AS purchases_365d,
    MIN(child_age_months + FLOOR(MONTHS_BETWEEN({as_of}, event_date))) AS youngest_child_months
  FROM parenting
  GROUP BY customer_key
)
SELECT
  p.customer_key,
  COALESCE(s.paid_30d, 0) AS ecommerce_order_count_30d,
  COALESCE(s.paid_90d, 0) AS ecommerce_order_count_90d,
  COALESCE(s.spend_30d, 0) AS ecommerce_spend_30d,
  COALESCE(s.spend_90d, 0) AS ecommerce_spend_90d,
  COALESCE(s.refunds_90d, 0) AS ecommerce_refund_count_90d,
  COALESCE(s.luxury_90d, 0) AS luxury_spend_90d,
  s.luxury_90d / NULLIF(s.spend_90d, 0) AS luxury_share_90d,
  COALESCE(s.electronics_90d, 0) AS electronics_spend_90d,
  COALESCE(s.books_90d, 0) AS books_spend_90d,
  COALESCE(s.sports_90d, 0) AS sports_spend_90d,
  COALESCE(t.bookings_90d, 0) AS travel_booking_count_90d,
  COALESCE(t.spend_30d, 0) AS travel_spend_30d,
  COALESCE(t.spend_90d, 0) AS travel_spend_90d,
  COALESCE(i.trips_90d, 0) AS international_trip_count_90d,
  COALESCE(t.trip_ahead, 0) = 1 AS upcoming_international_trip_30d,
  COALESCE(t.foreign_countries_90d, 0) AS distinct_destination_countries_90d,
  COALESCE(v.airport_7d, 0) AS airport_visit_count_7d,
  COALESCE(v.airport_90d, 0) AS airport_visit_count_90d,
  DATEDIFF({as_of}, v.last_airport_date) AS days_since_last_airport_visit,
  COALESCE(v.cities_90d, 0) AS distinct_cities_visited_90d,
  COALESCE(v.mall_30d, 0) AS mall_visit_count_30d,
  COALESCE(v.school_30d, 0) AS school_visit_count_30d,
  COALESCE(f.spend_30d, 0) AS parenting_spend_30d,
  COALESCE(f.spend_90d, 0) AS parenting_spend_90d,
  COALESCE(f.education_90d, 0) AS education_spend_90d,
  COALESCE(f.infant_90d, 0) AS infant_spend_90d,
  COALESCE(f.purchases_365d, 0) > 0 AS child_present_365d,
  f.youngest_child_months AS youngest_child_age_months
FROM population p
LEFT JOIN shopping s ON s.customer_key = p.customer_key
LEFT JOIN travel t ON t.customer_key = p.customer_key
LEFT JOIN international_trips i ON i.customer_key = p.customer_key
LEFT JOIN places v ON v.customer_key = p.customer_key
LEFT JOIN family f ON f.customer_key = p.customer_key
