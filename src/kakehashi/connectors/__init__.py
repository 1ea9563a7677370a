"""Live connectors: fetch the newest data from the publishers, update the store, diff versions.

See docs/updates.md. ``update.update`` runs connectors and swaps in a new store atomically;
``diff.diff`` compares two stores; ``cli.COMMANDS`` are the `update` and `diff` commands.
"""
