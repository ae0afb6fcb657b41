"""Root fields ``customer`` and ``customers``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import anyio
import strawberry

from api.context import ApiInfo, RequestContext
from api.customers.profiles import (
    Lookup,
    ReadPlan,
    read_plan,
    read_profiles,
    requested_tags,
)
from api.customers.types import Customer
from api.errors import ConsentMissing, LimitExceeded, NotFound
from profilehub.catalog import Tag

# Reads of at most this many customers from a store that reads_quickly run on the event loop:
# handing a read to a thread costs ~130 µs of CPU, as much as reading one customer from Redis
# (measured in-process), while a few customers' round trip holds the loop well under 1 ms.
INLINE_READ_CUSTOMERS = 8

# A DataLoader key: the customer and the tag ids asked for (None: every visible tag).
ProfileKey = tuple[str, tuple[str, ...] | None]


def profile_batch_loader(context: RequestContext):
    """The batch function of a request's profile DataLoader: one online read per tag set."""

    async def load(keys: Sequence[ProfileKey]) -> list[Lookup]:
        by_tags: dict[tuple[str, ...] | None, list[str]] = defaultdict(list)
        for customer_key, tag_ids in keys:
            by_tags[tag_ids].append(customer_key)
        found: dict[ProfileKey, Lookup] = {}
        for tag_ids, customer_keys in by_tags.items():
            plan = read_plan(context.access, tag_ids)
            lookups = await read_profiles_of(context, customer_keys, plan)
            found.update({(key, tag_ids): lookup for key, lookup in lookups.items()})
        return [found[key] for key in keys]

    return load


async def read_profiles_of(context: RequestContext, customer_keys: list[str],
                           plan: ReadPlan) -> dict[str, Lookup]:
    serving = context.services.serving
    if serving.reads_quickly and len(customer_keys) <= INLINE_READ_CUSTOMERS:
        return read_profiles(serving, context.access, customer_keys, plan)
    return await anyio.to_thread.run_sync(read_profiles, serving, context.access,
                                          customer_keys, plan)


def customer_of(info: ApiInfo, lookup: Lookup, tags: tuple[Tag, ...]) -> Customer:
    context = info.context
    if lookup.profile is None:
        context.audit.refuse(lookup.refusal or "refused")
        raise ConsentMissing(lookup.refusal)
    return Customer.of(context.public_id(lookup.profile.customer_key), lookup.profile, tags)


def _tag_ids(tags: list[str] | None) -> tuple[str, ...] | None:
    return tuple(tags) if tags is not None else None


@strawberry.type
class CustomerQueries:
    @strawberry.field(description="One customer's profile. Partners pass their pseudonymous id.")
    async def customer(self, info: ApiInfo, key: str,
                       tags: list[str] | None = None) -> Customer:
        tag_ids = _tag_ids(tags)
        customer_key = info.context.customer_key_of(key)
        lookup = await info.context.profiles.load((customer_key, tag_ids))
        return customer_of(info, lookup, requested_tags(info.context.access, tag_ids))

    @strawberry.field(description="Profiles of many customers in one online read; null where "
                                  "a key is unknown or the caller may not see the customer.")
    async def customers(self, info: ApiInfo, keys: list[str],
                        tags: list[str] | None = None) -> list[Customer | None]:
        context = info.context
        limit = context.services.settings.api.max_batch
        if len(keys) > limit:
            raise LimitExceeded(f"{len(keys)} keys in one customers() call; at most {limit}")
        tag_ids = _tag_ids(tags)
        customer_keys: list[str | None] = []
        for key in keys:
            try:
                customer_keys.append(context.customer_key_of(key))
            except NotFound:
                customer_keys.append(None)
        wanted = [(key, tag_ids) for key in customer_keys if key is not None]
        lookups = iter(await context.profiles.load_many(wanted))
        tags = requested_tags(context.access, tag_ids)
        results: list[Customer | None] = []
        for key in customer_keys:
            lookup = next(lookups) if key is not None else None
            if lookup is None or lookup.profile is None:
                if lookup is not None:
                    context.audit.refuse(lookup.refusal or "refused")
                results.append(None)
            else:
                results.append(customer_of(info, lookup, tags))
        return results
