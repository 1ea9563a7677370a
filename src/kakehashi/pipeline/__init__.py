"""From raw public files to documented core tables: read, harmonise, check, snapshot, build."""
