"""The (ε, δ) a run achieves, by one accountant: zero-concentrated DP of the Gaussian mechanism.

Each round, every partner's update is clipped to L2 norm C (``fixedclipping_mod``) and the
server adds Gaussian noise of standard deviation z·C to their sum (z the noise multiplier,
divided by the number of partners for the average: Flower's
``DifferentialPrivacyClientSideFixedClipping``). Replacing one partner's data moves the sum by
at most C, so a round is ρ = 1 / (2 z²)-zCDP; T rounds compose to T·ρ, and ρ-zCDP implies
(ρ + 2·sqrt(ρ·ln(1/δ)), δ)-DP (Bun & Steinke 2016, Proposition 1.3). Every partner takes part in
every round, so no subsampling amplification is claimed.

The protected unit is a whole partner (its entire customer book), which is what a partner
institution asks of the others; with a handful of partners, strong guarantees need noise that
costs accuracy, and the report says what was achieved rather than promising a target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class PrivacyReport:
    noise_multiplier: float
    clipping_norm: float
    rounds: int
    delta: float
    epsilon: float
    accountant: str = "zCDP of the Gaussian mechanism (Bun & Steinke 2016), partner-level"

    def summary(self) -> str:
        if math.isinf(self.epsilon):
            return "no differential privacy (noise multiplier 0)"
        return (f"(ε = {self.epsilon:.2f}, δ = {self.delta:g}) partner-level DP after "
                f"{self.rounds} rounds, noise multiplier {self.noise_multiplier}, "
                f"clipping norm {self.clipping_norm}")


def gaussian_epsilon(noise_multiplier: float, rounds: int, delta: float) -> float:
    """ε of ``rounds`` Gaussian mechanisms of sensitivity 1 and standard deviation z, at δ."""
    if noise_multiplier <= 0:
        return math.inf
    rho = rounds / (2 * noise_multiplier ** 2)
    return rho + 2 * math.sqrt(rho * math.log(1 / delta))


def privacy_report(noise_multiplier: float, clipping_norm: float, rounds: int, delta: float
                   ) -> PrivacyReport:
    return PrivacyReport(noise_multiplier, clipping_norm, rounds, delta,
                         gaussian_epsilon(noise_multiplier, rounds, delta))
