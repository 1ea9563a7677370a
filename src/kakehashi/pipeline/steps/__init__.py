"""One module per group of core tables; each declares INPUTS, TABLES and build(ctx)."""
