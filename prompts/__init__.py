"""Prompt templates as package data, rendered strictly.

`render(name, **vars)` fills `prompts/<name>.txt` (str.format syntax; literal
braces doubled). A variable the template needs but is not given, or one given
but not used, is an error: prompts never silently drift from their callers.
"""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources


class PromptError(KeyError):
    pass


@lru_cache(maxsize=None)
def template(name: str) -> str:
    try:
        return resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"no prompt template {name!r} in prompts/") from None


def fields(name: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template(name)) if f}


def render(name: str, **vars) -> str:
    need = fields(name)
    missing, unused = need - set(vars), set(vars) - need
    if missing or unused:
        raise PromptError(f"prompt {name!r}: missing {sorted(missing)}, unused {sorted(unused)}")
    return template(name).format(**vars)
