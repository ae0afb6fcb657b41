{{ tag_family_model('demographic_lifecycle') }}
