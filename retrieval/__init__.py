"""Text retrieval layer: item documents, embedders, the Chroma item index.

Imports catalog only. Heavy libraries (sentence-transformers, chromadb) are
imported lazily inside functions.
"""
