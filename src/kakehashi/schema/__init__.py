"""Documented tables: columns, types, units, keys; and the code lists behind them."""

from kakehashi.schema.spec import Column, TableSpec
from kakehashi.schema.tables import TABLES

__all__ = ["TABLES", "Column", "TableSpec"]
