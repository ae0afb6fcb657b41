import itertools

import numpy as np
import pytest

from profilehub.segments.build import build_index
from profilehub.segments.kinds import TagKind
from profilehub.segments.store import IndexStore

from .tables import long_tag_table

SCORES = [0.0, 0.1, 0.1, 0.1, 0.25, 0.3, 0.3, 0.5, 0.5, 0.5, 0.5, 0.75, 0.9, 1.0, 1.0, 0.2]


@pytest.fixture(scope="module", params=[1, 3, 4, 1024])
def store(request, tmp_path_factory):
    rows = [(f"k{number:02d}", "risk", repr(score)) for number, score in enumerate(SCORES)]
    rows.append(("k99", "other", "true"))
    kinds = {"risk": TagKind("score"), "other": TagKind("boolean")}
    folder = tmp_path_factory.mktemp("store") / "index"
    build_index(long_tag_table(rows), kinds, folder, score_bin_size=request.param).close()
    store = IndexStore(folder)
    yield store
    store.close()


@pytest.mark.parametrize(("low_inclusive", "high_inclusive"),
                         list(itertools.product([True, False], repeat=2)))
def test_every_score_range_is_exact_whatever_the_bin_size(store, low_inclusive, high_inclusive):
    scores = np.array(SCORES)
    bounds = [None, 0.0, 0.1, 0.15, 0.3, 0.5, 0.75, 1.0]
    for low, high in itertools.product(bounds, repeat=2):
        above = (np.ones(len(scores), bool) if low is None else
                 scores >= low if low_inclusive else scores > low)
        below = (np.ones(len(scores), bool) if high is None else
                 scores <= high if high_inclusive else scores < high)
        found = store.score_range("risk", low, high, low_inclusive=low_inclusive,
                                  high_inclusive=high_inclusive)
        # Customer k<NN> has id NN: keys sort as their numbers do, and k99 comes last.
        assert list(found) == list(np.flatnonzero(above & below)), (low, high)


def test_presence_and_labels_are_bitmaps_of_ids(store):
    assert list(store.presence("risk")) == list(range(len(SCORES)))
    assert list(store.label("other", "true")) == [len(SCORES)]
    assert list(store.label("other", "false")) == []
    assert list(store.universe) == list(range(len(SCORES) + 1))
