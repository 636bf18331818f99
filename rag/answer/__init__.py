"""Answer: questions into cited answers, or "not in the corpus".

`routing` decides which documents a question is about (region, year); `offline` answers from the
extracted indicators and retrieved sentences; `model` asks a configured model and checks its
citations.
"""
