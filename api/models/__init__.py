"""Federated models (issue #8): the registry's versions (root field ``models``) and each
customer's model scores with their provenance (``Customer.scores``).

Scores come from the model-score Feast project (``federated.score_views``), which batch scoring
writes; which scores a caller sees is the catalog's word, as for every other tag
(``api.access``: the ``model_scores`` family's sensitivity and purposes).
"""
