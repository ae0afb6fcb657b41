{{ tag_family_model('risk_suitability') }}
