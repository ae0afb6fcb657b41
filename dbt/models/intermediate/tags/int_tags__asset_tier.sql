{{ tag_family_model('asset_tier') }}
