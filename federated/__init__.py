"""Federated training across partner institutions with Flower 1.32 (issue #8).

The Flower app is ``server_app`` / ``client_app`` / ``task`` (``[tool.flwr.app]`` in
``pyproject.toml``). What the ``federated_training`` DAG calls, in order:

    manifest = federated.pipeline.prepare(settings, as_of)     # partitions from training_v1
    trained = federated.pipeline.train_together(settings, manifest, [RunConfig(model="churn"),
                                                RunConfig(model="panic_sell")])
    federated.pipeline.score(settings, "churn", as_of)         # feature store + score tags

``train_together`` starts one Deployment-Engine federation (``federated.deployment``) and runs
every config on it side by side (``train`` runs one config on a federation of its own), then
records each run's AUC table and plot and registers each model. This package
imports nothing at import time: the ServerApp and ClientApps load only what they use.
"""
