{{ tag_family_model('wealth_preference') }}
