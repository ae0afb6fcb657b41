"""Who is asking: the roles an API key is bound to, and the purposes each may declare."""

from __future__ import annotations

from dataclasses import dataclass

from profilehub.contracts import PARTNERS, PURPOSES
from profilehub.feature_store.services import PARTNER_PURPOSES

DATA_SCIENTIST, MARKETING, PARTNER, ADMIN = "data_scientist", "marketing", "partner", "admin"
ROLE_NAMES = (DATA_SCIENTIST, MARKETING, PARTNER, ADMIN)
# Purposes a role may act under; the first is what it acts under when it states none.
# Partners have no default: they must state theirs on every request.
ROLE_PURPOSES = {
    DATA_SCIENTIST: ("research",),
    MARKETING: ("marketing",),
    PARTNER: PARTNER_PURPOSES,
    ADMIN: ("risk_control", *(p for p in PURPOSES if p != "risk_control")),
}


class RoleError(ValueError):
    """A role text that names no role (or no known partner)."""


@dataclass(frozen=True)
class Role:
    name: str
    partner_id: str | None = None

    @classmethod
    def parse(cls, text: str) -> Role:
        """``data_scientist``, ``marketing``, ``admin`` or ``partner:<partner id>``."""
        name, _, partner_id = text.partition(":")
        if name == PARTNER:
            if partner_id not in PARTNERS:
                raise RoleError(f"{text!r}: partner roles are partner:<id>, id one of "
                                f"{', '.join(PARTNERS)}")
            return cls(PARTNER, partner_id)
        if name not in ROLE_NAMES or partner_id:
            raise RoleError(f"{text!r} is not a role: one of data_scientist, marketing, admin, "
                            f"partner:<id>")
        return cls(name)

    def __str__(self) -> str:
        return f"{PARTNER}:{self.partner_id}" if self.is_partner else self.name

    @property
    def is_partner(self) -> bool:
        return self.name == PARTNER

    @property
    def purposes(self) -> tuple[str, ...]:
        return ROLE_PURPOSES[self.name]

    @property
    def default_purpose(self) -> str | None:
        return None if self.is_partner else self.purposes[0]


# The roles `make run` prints a demo key for.
DEMO_ROLES = tuple(Role.parse(text) for text in
                   (DATA_SCIENTIST, MARKETING, f"{PARTNER}:{PARTNERS[0]}", ADMIN))
