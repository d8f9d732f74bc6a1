"""Language tags as the stages read them (shared by analysis and the brief writer): "pt-BR", "de_CH" -> "pt", "de"."""

import re

__all__ = ["primary_code"]


def primary_code(language: str | None) -> str | None:
    """The primary ISO 639-1 subtag of `language`, lower-cased ("pt-BR" -> "pt"); None when there is none."""
    if not language:
        return None
    code = re.split(r"[-_]", language.strip().lower())[0]
    return code or None
