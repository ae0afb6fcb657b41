"""Scenario partners: ``consumptionCapability(partnerRef, purpose)``."""
