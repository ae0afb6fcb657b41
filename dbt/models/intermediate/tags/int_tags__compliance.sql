{{ tag_family_model('compliance') }}
