"""Recommenders behind one contract: baselines (Pop, ItemKNN, EASE, BPR-MF, LightGCN), the trained
fusion scorer, and the evaluation protocol (RecBole-style ML-1M full ranking) that compares them.

Nothing heavy is imported here; torch is imported inside the functions that need it.
"""
