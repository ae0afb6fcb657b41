{{ tag_family_model('emotion_radar') }}
