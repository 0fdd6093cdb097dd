"""Simulated users and dialogue evaluation (issues #7, #13). Sits beside `assistant`: it drives any
object with `respond(session_id, text) -> Reply` and reads the catalog; it never reaches into
the agent's internals. user: simulated users (profiles vague, taste, facts); phrasings: their
utterance pools; holdout: targets held out of the data, KG and scorer; baselines:
filter+popularity and Chat-Rec; dialogue: targets, episodes, metrics, report."""
