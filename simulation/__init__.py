"""Simulated users and dialogue evaluation (issue #7). Sits beside `assistant`: it drives any
object with `respond(session_id, text) -> Reply` and reads the catalog; it never reaches into
the agent's internals."""
