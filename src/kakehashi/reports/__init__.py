"""Briefs: the answers as a document people can read, print and cite (HTML, PDF, Markdown)."""
