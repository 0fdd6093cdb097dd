"""CLI subcommands, one module per area. Each module exposes `register(subparsers)`.

Add a new area by writing a module here and listing it in MODULES.
"""

MODULES = [
    "assistant.commands.data",
    "assistant.commands.kg",
    "assistant.commands.model",
    "assistant.commands.build",
    "assistant.commands.index",
    "assistant.commands.scorer",
    "assistant.commands.chat",
    "assistant.commands.serve",
]
