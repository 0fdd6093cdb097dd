"""The assistant layer: config, LLM backends, the agent, session state, CLI and UI.

Importing this package is cheap; heavy components are built by
`assistant.build.build_assistant(config)`.
"""
