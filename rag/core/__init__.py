"""Core: the types and settings every stage shares, importing nothing else of ours.

Spans (`spans`), the extraction records (`records`), errors (`errors`), settings (`settings`) and the
genre's word lists (`lexicon/`). Stages import from here; nothing here imports a stage.
"""
