"""PII tokens and redaction: how a phone, ID number, name or device id leaves the landing zone.

A token is the hex HMAC-SHA256, under ``settings.pii_hmac_key()``, of ``"<kind>:<normalised
value>"``. Normalising first makes the same person's value give the same token whatever the
source's formatting (``138-0013-8000`` and ``13800138000``), so tokens join across sources.

The same token is computed in two places that must agree bit for bit: :func:`token` in Python
(tests, the generator's ground truth, services) and :func:`token_sql` as an SQL expression for
Spark and DuckDB (the ingest), with HMAC spelled out over the engines' SHA-256.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from profilehub.contracts import PiiKind

if TYPE_CHECKING:
    from profilehub.validation import Dialect

# Python's str.strip() would also strip Unicode spaces that Java's regex \s does not know;
# spelling the set out keeps both sides identical.
WHITESPACE = " \t\n\x0b\f\r"
_WHITESPACE_CLASS = r"[ \t\n\x0B\f\r]"
_HMAC_BLOCK_BYTES = 64
REDACTED = "<redacted>"
# Digit runs that look like a mainland mobile number (optionally +86, dashes or spaces) or a
# resident ID number, standing alone (not inside a longer run of letters or digits, such as a
# token). Java and Python regex syntax; used to redact lines that cannot be parsed.
PHONE_LIKE = r"(?<![0-9A-Za-z])(?:\+?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}(?![0-9A-Za-z])"
NATIONAL_ID_LIKE = r"(?<![0-9A-Za-z])[0-9]{6}[ -]?[0-9]{8}[ -]?[0-9]{3}[0-9Xx](?![0-9A-Za-z])"


def normalise(kind: PiiKind, value: str) -> str:
    """The canonical form of a PII value: what two spellings of the same value share."""
    if kind == "phone":
        return "".join(char for char in value if "0" <= char <= "9")
    if kind == "national_id":
        return value.upper()
    if kind == "name":
        return value.strip(WHITESPACE)
    if kind == "device_id":
        return value.strip(WHITESPACE).lower()
    raise ValueError(f"unknown PII kind {kind!r}")


def token(kind: PiiKind, value: str | None, key: bytes) -> str | None:
    """Hex HMAC-SHA256 of ``"<kind>:<normalised value>"``; ``None`` stays ``None``."""
    if value is None:
        return None
    message = f"{kind}:{normalise(kind, value)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _padded_keys(key: bytes) -> tuple[bytes, bytes]:
    """HMAC's inner and outer keys (RFC 2104): the block-sized key xor 0x36 and xor 0x5c."""
    if len(key) > _HMAC_BLOCK_BYTES:
        key = hashlib.sha256(key).digest()
    block = key.ljust(_HMAC_BLOCK_BYTES, b"\0")
    return bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block)


def normalise_sql(kind: PiiKind, value_sql: str, dialect: Dialect) -> str:
    """SQL twin of :func:`normalise`."""
    if kind == "phone":
        return dialect.regexp_replace_all(value_sql, "[^0-9]", "")
    if kind == "national_id":
        return f"upper({value_sql})"
    trimmed = dialect.regexp_replace_all(
        value_sql, f"^{_WHITESPACE_CLASS}+|{_WHITESPACE_CLASS}+$", "")
    if kind == "name":
        return trimmed
    if kind == "device_id":
        return f"lower({trimmed})"
    raise ValueError(f"unknown PII kind {kind!r}")


def token_sql(kind: PiiKind, value_sql: str, key: bytes, dialect: Dialect) -> str:
    """SQL twin of :func:`token`: HMAC = H(outer_key || H(inner_key || message)).

    The key is inlined as hex, so the query text is as secret as the key: never log it.
    """
    inner, outer = _padded_keys(key)
    message = dialect.utf8_bytes(f"concat('{kind}:', {normalise_sql(kind, value_sql, dialect)})")
    inner_hash = dialect.sha256_hex(dialect.concat_binary(f"unhex('{inner.hex()}')", message))
    digest = dialect.sha256_hex(
        dialect.concat_binary(f"unhex('{outer.hex()}')", f"unhex({inner_hash})"))
    return f"CASE WHEN {value_sql} IS NULL THEN NULL ELSE {digest} END"
