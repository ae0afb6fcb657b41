with

source as (

    select * from {{ source('trip_ota', 'travel_bookings') }}

),

renamed as (

    select
        ----------  ids
        booking_id,
        partner_user_id,

        ----------  identity token (links to customers.national_id_token)
        national_id_token,

        ----------  booking
        booking_type,
        destination_city,
        destination_country,
        destination_country <> 'CN' as is_international,
        amount,

        ----------  dates
        booked_at,
        to_date(booked_at) as booked_date,
        travel_date,
        datediff(travel_date, to_date(booked_at)) as lead_days,

        ----------  lineage
        dt as delivery_date,
        _source_file,
        _source_line

    from source

)

select * from renamed
