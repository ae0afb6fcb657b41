"""Consent under PIPL: which customer allowed which partner's data for which purpose, when.

The ledger is drawn once as ground truth (grant time, optional revocation time per customer,
partner and purpose); the daily ``consent_events`` files are exactly its grant and revoke
events, so replaying the events reproduces the truth.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from profilehub.contracts import CONSENT_EVENTS, PARTNERS, PURPOSES
from profilehub.generator import calibration as cal
from profilehub.generator.clock import SECONDS_PER_DAY, consumer_seconds, day64
from profilehub.generator.identity import record_ids
from profilehub.generator.partners import PartnerWorld
from profilehub.generator.population import Population
from profilehub.generator.randomness import categorical, stream
from profilehub.generator.records import build_table

ACTIONS = pa.array(["grant", "revoke"])
CHANNEL_NAMES = pa.array([name for name, _ in cal.CONSENT_CHANNELS])
# Grants in the first delivery may be up to this many seconds before its date (within lateness).
FIRST_DAY_BACKLOG_SECONDS = 2 * SECONDS_PER_DAY


class ConsentLedger:
    def __init__(self, seed: int, pop: Population, partners: PartnerWorld, days: int) -> None:
        self.seed, self.pop, self.days = seed, pop, days
        rng = stream(seed, "consent")
        account, partner, purpose = self._grants(rng, partners)
        self.account, self.partner, self.purpose = account, partner, purpose
        self.grant_day, self.grant_second = self._grant_times(rng, account)
        self.revoke_day, self.revoke_second = self._revocations(rng)

    def _grants(self, rng, partners: PartnerWorld):
        n = self.pop.size
        accounts, partner_index, purpose_index = [], [], []
        chance = np.array([cal.PURPOSE_GRANT_PROBABILITY[p] for p in PURPOSES])
        for p, partner in enumerate(PARTNERS):
            user = partners.member(partner)
            agrees = rng.random(n) < np.where(user, cal.GRANT_ANY_IF_PARTNER_USER,
                                              cal.GRANT_ANY_OTHERWISE)
            granted = agrees[:, None] & (rng.random((n, len(PURPOSES))) < chance[None, :])
            granted[agrees & ~granted.any(axis=1), chance.argmax()] = True
            who, what = np.nonzero(granted)
            accounts.append(who)
            partner_index.append(np.full(who.size, p))
            purpose_index.append(what)
        return (np.concatenate(accounts), np.concatenate(partner_index),
                np.concatenate(purpose_index))

    def _grant_times(self, rng, account: np.ndarray):
        opened = np.maximum(self.pop.open_day[account], 0)
        later = opened + (rng.random(account.size) * (self.days - opened)).astype(np.int64)
        first = (self.pop.open_day[account] < 0) & (rng.random(account.size)
                                                      < cal.FIRST_DAY_GRANT_SHARE)
        day = np.where(first, 0, later)
        backlog = rng.integers(-FIRST_DAY_BACKLOG_SECONDS, SECONDS_PER_DAY, account.size)
        second = np.where(day == 0, backlog, consumer_seconds(rng, account.size))
        return day, second

    def _revocations(self, rng):
        size = self.account.size
        revoked = rng.random(size) < cal.REVOKE_SHARE
        day = self.grant_day + (rng.random(size) * (self.days - self.grant_day)).astype(np.int64)
        same_day_from = np.maximum(self.grant_second, 0) + 1
        room = SECONDS_PER_DAY - same_day_from
        same_day = same_day_from + (rng.random(size) * np.maximum(room, 0)).astype(np.int64)
        second = np.where(day == self.grant_day, same_day, consumer_seconds(rng, size))
        revoked &= (day > self.grant_day) | (room > 0)
        return np.where(revoked, day, -1), np.where(revoked, second, 0)

    def _times(self, day: np.ndarray, second: np.ndarray) -> np.ndarray:
        start = day64(self.pop.start).astype("datetime64[s]")
        return start + (day * SECONDS_PER_DAY + second).astype("timedelta64[s]")

    def events_table(self, day_index: int) -> pa.Table:
        rng = stream(self.seed, "consent-events", day_index)
        grants = np.flatnonzero(self.grant_day == day_index)
        revokes = np.flatnonzero(self.revoke_day == day_index)
        rows = np.r_[grants, revokes]
        action = np.r_[np.zeros(grants.size, np.int64), np.ones(revokes.size, np.int64)]
        times = np.r_[self._times(self.grant_day[grants], self.grant_second[grants]),
                      self._times(self.revoke_day[revokes], self.revoke_second[revokes])]
        order = np.argsort(times, kind="stable")
        rows, action, times = rows[order], action[order], times[order]
        day = self.pop.start + dt.timedelta(days=day_index)
        version = cal.POLICY_VERSIONS[0 if day_index < self.days // 2 else -1]
        channel = categorical(rng, [w for _, w in cal.CONSENT_CHANNELS], rows.size)
        return build_table(CONSENT_EVENTS, {
            "consent_event_id": record_ids("CE", day, np.arange(1, rows.size + 1)),
            "account_id": self.pop.account_ids.take(pa.array(self.account[rows])),
            "partner_id": pa.array(PARTNERS).take(pa.array(self.partner[rows])),
            "purpose": pa.array(PURPOSES).take(pa.array(self.purpose[rows])),
            "action": ACTIONS.take(pa.array(action)), "event_time": times,
            "channel": CHANNEL_NAMES.take(pa.array(channel)),
            "policy_version": pa.array(np.full(rows.size, version)),
        })

    def truth_table(self) -> pa.Table:
        revoked = self.revoke_day >= 0
        return pa.table({
            "account_id": self.pop.account_ids.take(pa.array(self.account)),
            "partner": pa.array(PARTNERS).take(pa.array(self.partner)),
            "purpose": pa.array(PURPOSES).take(pa.array(self.purpose)),
            "granted_at": pa.array(self._times(self.grant_day, self.grant_second),
                                   pa.timestamp("us")),
            "revoked_at": pa.array(self._times(self.revoke_day, self.revoke_second),
                                   pa.timestamp("us"), mask=~revoked),
        })
