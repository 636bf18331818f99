"""plan-rag: index, extract from and question Chinese local-government planning documents.

Kept import-free so that `rag --help` starts fast; each stage lives in its own module.
"""

__version__ = "0.1.0"
