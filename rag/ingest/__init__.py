"""Ingest: from a file to a document the rest can work on.

Reading and decoding (`loading`, `readers` for PDF, DOCX and HTML), boilerplate and folding
(`cleaning`), the document's own outline (`structure`) and chunks along it (`chunking`). Knows
nothing of stores or extraction.
"""
