"""Federated training across partner institutions with Flower 1.32 (issue #8).

The Flower app is ``server_app`` / ``client_app`` / ``task`` (``[tool.flwr.app]`` in
``pyproject.toml``). What the ``federated_training`` DAG calls, in order:

    manifest = federated.pipeline.prepare(settings, as_of)     # partitions from training_v1
    trained = federated.pipeline.train(settings, manifest, RunConfig(model="churn"))
    federated.pipeline.score(settings, "churn", as_of)         # feature store + score tags

``train`` runs ``federated.deployment.run_federation`` (the Deployment-Engine run on its own),
then records the AUC table and plot and registers the model. This package
imports nothing at import time: the ServerApp and ClientApps load only what they use.
"""
