"""Personal data is well-formed and unique by construction."""

from __future__ import annotations

import re

import numpy as np

from profilehub.contracts import NATIONAL_ID, PHONE
from profilehub.generator.identity import (
    device_ids,
    phone_keys,
    phone_numbers,
    reserved_identity,
    sample_people,
)

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_character(body: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def test_national_ids_are_valid_unique_and_carry_birth_and_gender():
    rng = np.random.default_rng(0)
    n = 50_000
    birth = np.datetime64("1990-01-01") + rng.integers(0, 40, n).astype("timedelta64[D]")
    male = rng.random(n) < 0.5
    people = sample_people(rng, birth, male, rng.integers(0, 3, n))
    ids = people.national_ids(np.arange(n)).to_pylist()
    assert len(set(ids)) == n
    for number, born, is_male in zip(ids[:2000], birth, male, strict=False):
        assert re.fullmatch(NATIONAL_ID, number)
        assert number[-1] == check_character(number[:17])
        assert number[6:14] == str(born).replace("-", "")
        assert int(number[16]) % 2 == int(is_male)


def test_phone_numbers_are_unique_across_generations():
    persons = np.arange(200_000)
    phones = phone_numbers(np.r_[phone_keys(persons, 0), phone_keys(persons, 1)]).to_pylist()
    assert len(set(phones)) == len(phones)
    assert all(re.fullmatch(PHONE, p) for p in phones[:5000])
    assert len({p[1] for p in phones}) == 7


def test_device_ids_are_unique_hex():
    ids = device_ids(np.arange(100_000)).to_pylist()
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{16}", d) for d in ids[:1000])


def test_reserved_identities_never_meet_real_ones():
    rng = np.random.default_rng(1)
    birth = np.datetime64("1990-05-05") + rng.integers(0, 5, 1000).astype("timedelta64[D]")
    people = sample_people(rng, birth, np.ones(1000, bool), np.zeros(1000, np.int64))
    real = set(people.national_ids(np.arange(1000)).to_pylist())
    invented = [reserved_identity(k, np.datetime64("1990-05-05"), True) for k in range(1, 700)]
    numbers = {i["national_id"] for i in invented}
    assert len(numbers) == len(invented) and not numbers & real
    assert all(re.fullmatch(NATIONAL_ID, n) and re.fullmatch(PHONE, i["phone"])
               for n, i in zip(numbers, invented, strict=False))
