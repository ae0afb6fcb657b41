{{ tag_family_model('scenario_consumption') }}
