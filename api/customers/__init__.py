"""Customer profiles: ``customer(key)`` and ``customers(keys)``, batched into one online read."""
