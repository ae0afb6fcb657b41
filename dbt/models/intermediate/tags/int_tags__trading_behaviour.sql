{{ tag_family_model('trading_behaviour') }}
