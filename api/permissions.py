"""Who may call which root field (field-level tag rules are in ``api.access``)."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from api.roles import ADMIN, DATA_SCIENTIST, MARKETING, PARTNER


class _RoleIn(BasePermission):
    roles: tuple[str, ...] = ()

    def has_permission(self, source: Any, info, **kwargs: Any) -> bool:
        context = info.context
        allowed = context.principal.role.name in self.roles
        if not allowed:
            context.audit.refuse(f"{info.field_name}: {self.message}")
        return allowed


class IsInternal(_RoleIn):
    roles = (DATA_SCIENTIST, MARKETING, ADMIN)
    message = "only data_scientist, marketing and admin keys may use this field"


class IsDataScientistOrAdmin(_RoleIn):
    roles = (DATA_SCIENTIST, ADMIN)
    message = "only data_scientist and admin keys may use this field"


class IsMarketingOrAdmin(_RoleIn):
    roles = (MARKETING, ADMIN)
    message = "only marketing and admin keys may use this field"


class IsPartner(_RoleIn):
    roles = (PARTNER,)
    message = "only partner keys may use this field"


class IsAdmin(_RoleIn):
    roles = (ADMIN,)
    message = "only admin keys may use this field"
