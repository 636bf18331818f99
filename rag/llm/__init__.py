"""The model client: one chat model from settings (`client`), prompts as files (`prompts`), and a
response cache (`cache`). Used only by the model engines.
"""
