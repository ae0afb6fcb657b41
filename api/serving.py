"""What the API serves: the published as_of, its segment index and customers, and the online
store, reloaded when the pipeline publishes a newer as_of."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
from feast import FeatureStore

from api.consent import ConsentLedger, open_ledger, sync_ledger
from api.errors import NothingPublished
from api.online import OnlineReader, online_reader
from api.pseudonyms import Pseudonyms
from federated.score_views import scores_settings
from profilehub.feature_store import get_store
from profilehub.publish import read_published
from profilehub.segments import SegmentIndex, index_folder
from profilehub.segments.layout import CUSTOMERS
from profilehub.settings import Settings

# How often the published pointer is looked at (seconds): a switch is seen within this.
POINTER_CHECK_SECONDS = 1.0


@dataclass
class Snapshot:
    """One served as_of: its segment index and its customers (sorted, as the index keeps them)."""

    as_of: date
    index: SegmentIndex
    customer_keys: np.ndarray

    def knows(self, customer_key: str) -> bool:
        position = np.searchsorted(self.customer_keys, customer_key)
        return bool(position < len(self.customer_keys)
                    and self.customer_keys[position] == customer_key)

    def ids_of(self, customer_keys: set[str]) -> np.ndarray:
        """Index ids (row numbers) of the given customers that the as_of has."""
        wanted = np.array(sorted(customer_keys), dtype=object)
        positions = np.searchsorted(self.customer_keys, wanted)
        inside = positions < len(self.customer_keys)
        found = inside.copy()
        found[inside] = self.customer_keys[positions[inside]] == wanted[inside]
        return positions[found].astype(np.uint32)


class Serving:
    def __init__(self, settings: Settings, store: FeatureStore | None = None,
                 ledger: ConsentLedger | None = None,
                 scores_store: FeatureStore | None = None) -> None:
        self.settings = settings
        self.store = store or get_store(settings)
        self.online: OnlineReader = online_reader(self.store)
        self._scores_store = scores_store
        self.ledger = ledger or open_ledger(settings)
        self.pseudonyms = Pseudonyms(settings.api_pseudonym_key(),
                                     lambda: self.current().customer_keys.tolist())
        self._snapshot: Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def scores_store(self) -> FeatureStore:
        """The model-score project's store (``federated.score_views``), opened on first use and
        never applied from here: batch scoring applies it. Its views appear to the API within
        the registry's cache time after the first scoring."""
        if self._scores_store is None:
            with self._lock:
                if self._scores_store is None:
                    self._scores_store = get_store(scores_settings(self.settings))
        return self._scores_store

    @property
    def reads_quickly(self) -> bool:
        """Whether a profile read (online store, then consent ledger) is Redis round trips."""
        return self.online.answers_quickly and self.ledger.answers_quickly

    def current(self) -> Snapshot:
        """The served snapshot; raises NothingPublished before the first publication."""
        now = time.monotonic()
        if self._snapshot is None or now - self._checked_at > POINTER_CHECK_SECONDS:
            with self._lock:
                self._checked_at = now
                self._switch_if_published()
        if self._snapshot is None:
            raise NothingPublished("no profile is published yet: run the pipeline first")
        return self._snapshot

    def _switch_if_published(self) -> None:
        publication = read_published(self.settings)
        if publication is None or (self._snapshot and self._snapshot.as_of == publication.as_of):
            return
        as_of = publication.as_of
        index = SegmentIndex.open(index_folder(as_of))
        with pa.ipc.open_file(index.folder / CUSTOMERS) as reader:
            keys = reader.read_all().column(0).to_numpy(zero_copy_only=False).astype(object)
        sync_ledger(self.settings, self.ledger, as_of)
        previous, self._snapshot = self._snapshot, Snapshot(as_of, index, keys)
        self.pseudonyms.forget()
        if previous is not None:
            previous.index.close()

    def close(self) -> None:
        self.online.close()
        if self._snapshot is not None:
            self._snapshot.index.close()
