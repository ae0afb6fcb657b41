"""Segments over the served as_of's index: counts, pages, CSV export, sizes, saved segments,
with k-suppression and difference refusal for partners."""
