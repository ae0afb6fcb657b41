"""Federated training across partner institutions with Flower 1.32 (issue #8).

The Flower app is ``server_app`` / ``client_app`` / ``task`` (``[tool.flwr.app]`` in
``pyproject.toml``). What the ``federated_training`` DAG calls, in order:

    manifest = federated.pipeline.prepare(settings, as_of, source="training_v1")
    trained = federated.pipeline.train(settings, manifest, RunConfig(...))   # run + register
    federated.pipeline.score(settings, trained.model_version, as_of)         # write-back

``federated.deployment.run_federation`` is the Deployment-Engine run on its own. This package
imports nothing at import time: the ServerApp and ClientApps load only what they use.
"""
