"""Identifiers and personal data of everyone the generator invents.

A *person* is an index: customers are persons ``0..n-1``, partner users who are not our
customers follow. Personal data (name, phone, ID card number, device id) is a pure function of
the person's index and attributes, so it is computed when a file needs it, vectorised, and is
unique by construction (bijective scrambles, ranked ID sequence numbers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from profilehub.generator.clock import yyyymmdd


@dataclass(frozen=True)
class City:
    name: str
    weight: float
    region_code: int  # administrative division code, the first six digits of an ID number
    airport: str  # IATA code of the airport serving the city
    station: str  # railway telegraph code


CITIES = (
    City("上海", 0.09, 310101, "PVG", "SHH"), City("北京", 0.08, 110101, "PEK", "BJP"),
    City("深圳", 0.07, 440304, "SZX", "SZQ"), City("广州", 0.06, 440104, "CAN", "GZQ"),
    City("杭州", 0.05, 330106, "HGH", "HZH"), City("成都", 0.05, 510104, "CTU", "CDW"),
    City("武汉", 0.04, 420106, "WUH", "WHN"), City("南京", 0.04, 320102, "NKG", "NJH"),
    City("重庆", 0.04, 500103, "CKG", "CQW"), City("西安", 0.03, 610104, "XIY", "XAY"),
    City("苏州", 0.03, 320505, "SHA", "SZH"), City("天津", 0.03, 120101, "TSN", "TJP"),
    City("长沙", 0.03, 430102, "CSX", "CSQ"), City("郑州", 0.03, 410102, "CGO", "ZZF"),
    City("青岛", 0.02, 370202, "TAO", "QDK"), City("宁波", 0.02, 330203, "NGB", "NGH"),
    City("厦门", 0.02, 350203, "XMN", "XMS"), City("合肥", 0.02, 340102, "HFE", "HFH"),
    City("济南", 0.02, 370102, "TNA", "JNK"), City("福州", 0.02, 350102, "FOC", "FZS"),
    City("沈阳", 0.02, 210102, "SHE", "SYT"), City("昆明", 0.02, 530102, "KMG", "KMM"),
    City("东莞", 0.02, 441900, "CAN", "DAQ"), City("佛山", 0.02, 440604, "FUO", "FSQ"),
    City("大连", 0.02, 210202, "DLC", "DLT"),
)
CITY_WEIGHTS = np.array([city.weight for city in CITIES])
CITY_NAMES = pa.array([city.name for city in CITIES])
SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
GIVEN_CHARS = tuple(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰辉鹏华飞玲斌宇浩凯健俊帆帅旭宁婷雪琳晨欣悦怡"
    "子涵梓轩诗雨博文佳思一可嘉睿晓志建国海丹亮成春红云波龙林峰鑫琪颖"
)
SURNAME_WEIGHTS = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.8
TWO_CHAR_GIVEN_SHARE = 0.7
NO_GIVEN_SECOND = len(GIVEN_CHARS)  # index meaning "single-character given name"

ACCOUNT_NUMBER_BASE = 100_000_001
GHOST_ACCOUNT_BASE = 900_000_000  # accounts that never exist: keys of dirty records
PHONE_SECOND_DIGITS = pa.array(list("3578964"))
PHONE_GENERATION_STRIDE = 250_000_000
DIRTY_PHONE_GENERATION = 3
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK_CHARS = np.array(list("10X98765432"))
DIRTY_REGION_BASE = 990_000  # no real division code starts with 99
HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
DIRTY_DEVICE_BASE = 1 << 60


def zero_pad(values: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pa.array(np.asarray(values, dtype=np.int64)).cast(pa.string()),
                        width, "0")


def join(*parts) -> pa.Array:
    """Element-wise concatenation of string arrays and scalars."""
    return pc.binary_join_element_wise(*parts, "")


def account_ids(numbers: np.ndarray) -> pa.Array:
    return join("A", zero_pad(numbers, 9))


def record_ids(prefix: str, day: dt.date, sequence: np.ndarray) -> pa.Array:
    """Ids of one day's records: prefix, delivery date, ten-digit sequence starting at 1."""
    return join(prefix + yyyymmdd(day), zero_pad(sequence, 10))


def phone_numbers(keys: np.ndarray) -> pa.Array:
    """Unique mobile numbers: the last nine digits are a bijective scramble of the key."""
    keys = np.asarray(keys, dtype=np.int64)
    suffix = (keys * 387_420_489 + 123_456_789) % 1_000_000_000
    mixed = (keys * 2_654_435_761) >> 16  # spread the second digit over all prefixes
    second = PHONE_SECOND_DIGITS.take(pa.array(mixed % len(PHONE_SECOND_DIGITS)))
    return join("1", second, zero_pad(suffix, 9))


def phone_keys(persons: np.ndarray, generation) -> np.ndarray:
    """Phone key of a person's n-th number (generation 0 is the number at the start)."""
    return np.asarray(persons, dtype=np.int64) + np.asarray(generation) * PHONE_GENERATION_STRIDE


def _ymd(dates: np.ndarray) -> np.ndarray:
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    return years * 10_000 + months * 100 + days


def national_ids(region: np.ndarray, birth: np.ndarray, sequence: np.ndarray) -> pa.Array:
    """18-character resident ID numbers with a valid ISO 7064 MOD 11-2 check character."""
    body = (np.asarray(region, dtype=np.int64) * 10**11 + _ymd(birth) * 1000
            + np.asarray(sequence, dtype=np.int64))
    powers = 10 ** np.arange(16, -1, -1, dtype=np.int64)
    digits = (body[:, None] // powers[None, :]) % 10
    check = ID_CHECK_CHARS[(digits * ID_WEIGHTS).sum(axis=1) % 11]
    return join(zero_pad(body, 17), pa.array(check))


def assign_id_sequences(rng: np.random.Generator, region: np.ndarray, birth: np.ndarray,
                        male: np.ndarray) -> np.ndarray:
    """Three-digit ID sequence numbers, unique per (region, birth date), odd for men."""
    key = ((np.asarray(region, dtype=np.int64) * 100_000 + birth.astype(np.int64) + 50_000) * 2
           + male.astype(np.int64))
    order = np.argsort(key, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(key[order])) + 1]
    sizes = np.diff(np.r_[starts, key.size])
    if sizes.max(initial=0) > 500:
        raise ValueError("more than 500 people share a region, birth date and gender")
    base = rng.integers(0, 501 - sizes)
    rank = np.empty(key.size, dtype=np.int64)
    rank[order] = np.arange(key.size) - np.repeat(starts, sizes) + np.repeat(base, sizes)
    return rank * 2 + male.astype(np.int64)


def _splitmix64(values: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = np.asarray(values).astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def device_ids(keys: np.ndarray) -> pa.Array:
    """16-hex-digit device ids, a bijection of the device key."""
    raw = _splitmix64(keys).astype(">u8").view(np.uint8).reshape(-1, 8)
    chars = np.empty((raw.shape[0], 16), dtype=np.uint8)
    chars[:, 0::2] = HEX_DIGITS[raw >> 4]
    chars[:, 1::2] = HEX_DIGITS[raw & 15]
    return pa.array(chars.view("S16").ravel()).cast(pa.string())


def partner_user_ids(prefix: str, salt: int, persons: np.ndarray) -> pa.Array:
    """Partner-side user ids: unrelated to our ids, unique per person within a partner."""
    scrambled = (np.asarray(persons, dtype=np.int64) * 48_271 + salt) % 10_000_000_000
    return join(prefix, zero_pad(scrambled, 10))


def names(surname: np.ndarray, given1: np.ndarray, given2: np.ndarray) -> pa.Array:
    given = pa.array((*GIVEN_CHARS, ""))
    return join(pa.array(SURNAMES).take(pa.array(surname)), given.take(pa.array(given1)),
                given.take(pa.array(given2)))


@dataclass(frozen=True)
class People:
    """Everyone with personal data: customers first, then partner-only users."""

    birth: np.ndarray  # datetime64[D]
    male: np.ndarray
    city: np.ndarray  # index into CITIES
    region: np.ndarray  # division code of the ID number
    id_sequence: np.ndarray
    surname: np.ndarray
    given1: np.ndarray
    given2: np.ndarray
    device_key: np.ndarray  # persons sharing a device share the key
    has_device: np.ndarray

    @property
    def size(self) -> int:
        return int(self.birth.size)

    def names(self, persons: np.ndarray) -> pa.Array:
        return names(self.surname[persons], self.given1[persons], self.given2[persons])

    def national_ids(self, persons: np.ndarray) -> pa.Array:
        return national_ids(self.region[persons], self.birth[persons], self.id_sequence[persons])

    def phones(self, persons: np.ndarray, generation=0) -> pa.Array:
        return phone_numbers(phone_keys(persons, generation))

    def device_ids(self, persons: np.ndarray) -> pa.Array:
        ids = device_ids(self.device_key[persons])
        return pc.if_else(pa.array(self.has_device[persons]), ids, pa.scalar(None, pa.string()))


def sample_people(rng: np.random.Generator, birth: np.ndarray, male: np.ndarray,
                  city: np.ndarray) -> People:
    """Personal data for people whose demographics are already drawn."""
    n = birth.size
    home_region = np.array([c.region_code for c in CITIES])[city]
    elsewhere = home_region[rng.permutation(n)]
    region = np.where(rng.random(n) < 0.85, home_region, elsewhere)
    given2 = rng.integers(0, len(GIVEN_CHARS), size=n)
    return People(
        birth=birth, male=male, city=city, region=region,
        id_sequence=assign_id_sequences(rng, region, birth, male),
        surname=rng.choice(len(SURNAMES), size=n, p=SURNAME_WEIGHTS / SURNAME_WEIGHTS.sum()),
        given1=rng.integers(0, len(GIVEN_CHARS), size=n),
        given2=np.where(rng.random(n) < TWO_CHAR_GIVEN_SHARE, given2, NO_GIVEN_SECOND),
        device_key=np.arange(n, dtype=np.int64), has_device=np.ones(n, dtype=bool),
    )


def reserved_identity(k: int, birth: np.datetime64, male: bool) -> dict[str, str]:
    """Personal data of the k-th invented person behind a dirty record, unique to it."""
    region = np.array([DIRTY_REGION_BASE + (k // 500) % 10_000])
    return {
        "name": SURNAMES[k % len(SURNAMES)] + GIVEN_CHARS[(k * 7) % len(GIVEN_CHARS)],
        "phone": phone_numbers(phone_keys(np.array([k]), DIRTY_PHONE_GENERATION))[0].as_py(),
        "national_id": national_ids(region, np.array([birth], dtype="datetime64[D]"),
                                    np.array([(k % 500) * 2 + int(male)]))[0].as_py(),
        "device_id": device_ids(np.array([DIRTY_DEVICE_BASE + k], dtype=np.uint64))[0].as_py(),
    }
