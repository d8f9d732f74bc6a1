"""Untrusted JSON -> Python values, with limits: nesting depth, digits per number, lone surrogates.

`json.loads` recurses once per nesting level (100,000 `[` raise RecursionError) and refuses integers of more
than 4,300 digits with a ValueError. `load_json_limited` finds both with a cheap scan before parsing (strings
removed by a linear regex, then the brackets and digit runs outside them counted), and still catches
RecursionError and ValueError as a backstop, so every problem is an IngestError with a reason.
"""

import itertools
import json
import re
from typing import Any

from storyline.errors import IngestError
from storyline.ingest.safe import has_surrogates, replace_surrogates

__all__ = ["MAX_DEPTH", "MAX_DIGITS", "load_json_limited", "scrub_surrogates"]

MAX_DEPTH = 100
MAX_DIGITS = 1000
# A string, or an unterminated one up to the end: possessive and always consuming, so the scan stays linear.
_STRING = re.compile(r'"(?:[^"\\]++|\\(?:.|\Z))*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def load_json_limited(text: str, *, max_depth: int = MAX_DEPTH, max_digits: int = MAX_DIGITS) -> Any:
    """Parse JSON text; raises IngestError for invalid JSON and for input over the limits.

    Reasons: "JSON nested deeper than N levels", "number with more than N digits", "invalid JSON: ...".
    """
    outside = _STRING.sub('""', text)
    if re.search(rf"(?<!\d)\d{{{max_digits + 1}}}", outside):
        raise IngestError(f"number with more than {max_digits} digits")
    if _depth(_NOT_BRACKET.sub("", outside), max_depth) > max_depth:
        raise IngestError(f"JSON nested deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"column {error.colno}" if error.lineno == 1 else f"line {error.lineno} column {error.colno}"
        raise IngestError(f"invalid JSON: {error.msg.removesuffix(' at')} at {where}") from error
    except RecursionError as error:
        raise IngestError(f"JSON nested deeper than {max_depth} levels") from error
    except ValueError as error:  # int() refusing a huge number that the scan did not see
        raise IngestError(f"invalid JSON number: {error}") from error


def _depth(brackets: str, max_depth: int) -> int:
    """The deepest nesting of a string of brackets (only scanned when it could exceed `max_depth`)."""
    opening = brackets.count("[") + brackets.count("{")
    if opening <= max_depth:
        return opening
    return max(itertools.accumulate(_DEPTH_STEP[char] for char in brackets))


def scrub_surrogates(value: Any) -> tuple[Any, bool]:
    """`value` with lone surrogates replaced by U+FFFD in every string and key; True if any was replaced."""
    if isinstance(value, str):
        return (replace_surrogates(value), True) if has_surrogates(value) else (value, False)
    if isinstance(value, list):
        scrubbed = [scrub_surrogates(item) for item in value]
        return [item for item, _ in scrubbed], any(changed for _, changed in scrubbed)
    if isinstance(value, dict):
        pairs = [(scrub_surrogates(k), scrub_surrogates(v)) for k, v in value.items()]
        changed = any(k[1] or v[1] for k, v in pairs)
        return {k[0]: v[0] for k, v in pairs}, changed
    return value, False
