"""The offline extraction rules, built for the genre.

`engine` assembles a record; `identity` and `gazetteer` read which region and years a document is
about; `periods` finds the five-year stretches; `indicators` reads the quantities. The words they
use are in `rag/core/lexicon/`; a case row per phrasing is in the tests.
"""
