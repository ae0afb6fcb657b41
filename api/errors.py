"""Errors a caller may read: they explain a rejection and never carry internals.

Every other exception reaching the GraphQL layer is masked (``api.schema``)."""

from __future__ import annotations


class ApiError(Exception):
    """A request the API understood and refuses, with the reason for the caller."""

    code = "BAD_REQUEST"


class AccessDenied(ApiError):
    code = "FORBIDDEN"


class ConsentMissing(AccessDenied):
    code = "NO_CONSENT"


class NotFound(ApiError):
    code = "NOT_FOUND"


class PrivacyRefused(ApiError):
    """A segment answer that would expose a small group or a person by difference."""

    code = "PRIVACY"


class LimitExceeded(ApiError):
    code = "LIMIT"


class NothingPublished(ApiError):
    code = "UNAVAILABLE"
