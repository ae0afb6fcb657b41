"""Synthetic data generator: a Chinese retail brokerage, its partners, and planted truth.

``generate(settings.paths, customers=..., days=..., seed=..., dirty_rate=..., start=...)``
writes every source of ``profilehub.contracts.CONTRACTS`` into the landing zone as
``profilehub.landing`` describes, and the ground truth (planted behaviours, identity links,
consent ledger, market days, dirty-defect manifest) under ``paths.ground_truth``.
"""

from profilehub.generator.pipeline import generate
from profilehub.generator.report import GenerationReport

__all__ = ["GenerationReport", "generate"]
