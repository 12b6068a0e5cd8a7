"""The scale data set, one module per part of the product (see seed_scale)."""
