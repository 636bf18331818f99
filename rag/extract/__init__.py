"""Extract: documents into grounded records.

The offline rules (`rules/`), the model engine (`model`), and the verifier every engine's output
passes (`verify`): every item carries a span into the original text, and `text[span] == quote`.
"""
