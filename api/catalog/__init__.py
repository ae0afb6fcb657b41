"""``tagCatalog``: the tag catalog as the caller may see it."""
