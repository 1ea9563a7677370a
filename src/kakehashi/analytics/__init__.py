"""Analytics: pure functions from Ibis tables to Ibis tables (or small results), on any engine.

Heavy work (filters, joins, aggregations, windows) is expressed in Ibis so it runs unchanged on
DuckDB and Spark; statistics on a few dozen rows (rank correlations, permutation tests, trend
fits) run in Python on the materialised aggregates.
"""
