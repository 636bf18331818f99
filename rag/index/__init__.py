"""Index: what is stored and how it is searched.

The store folder and its manifest (`store`), vectors (`embeddings`, Chroma), the lexical index
(`lexical`), hybrid retrieval (`retrieval`) and the store's checkup (`doctor`). Knows nothing of
extraction; what is extracted reaches it through the store's API.
"""
