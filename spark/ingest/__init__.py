"""Spark ingest: landing files → validated, de-identified lake tables, quarantine, reconciliation.

Entry point: :func:`ingest_range`. Layout of what it writes: :mod:`spark.ingest.tables`.
"""

from spark.ingest.job import IngestError, IngestResult, ingest_range, ingest_source, source_order
from spark.ingest.reconcile import Reconciliation

__all__ = [
           "IngestError",
           "IngestResult",
           "Reconciliation",
           "ingest_range",
           "ingest_source",
           "source_order",
]
