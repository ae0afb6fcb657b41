{{ tag_family_model('churn_engagement') }}
