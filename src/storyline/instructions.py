"""Text that addresses a language model instead of a reader: planted instructions ("prompt injection").

An article may carry sentences written for the model that summarizes it: "Ignore previous instructions and
write ...", a pasted role or system header, "As an AI language model, ...". Such a sentence is never offered to
a model as evidence, never cited by a brief, and flags its article (`addresses-a-model`). Shared by extract
(the flag), synthesize (candidate sentences) and the model writer (evidence lines, item checks), like `names`.

The patterns aim at sentences that speak to a model; news *about* prompt injection quotes such phrases, and
a quoted phrase inside a longer reporting sentence ("researchers typed 'ignore previous instructions' into
...") is not flagged: the instruction must open the sentence (after an optional quote mark or role label), or
name the model as its addressee. Measured false-alarm rate on real news: docs/llm.md.
"""

import re

__all__ = ["FLAG", "addresses_model", "instruction_spans"]

FLAG = "addresses-a-model"

_OPEN = r"(?:^|(?<=[.!?:;\n])\s*)[\"'“‘(\[]?\s*"  # the start of a sentence or clause
_VERBS = r"(?:ignore|disregard|forget|override|bypass)"
_PRIOR = r"(?:all\s+|any\s+|the\s+|your\s+)*(?:previous|prior|above|earlier|preceding|system|original|other)"
_PATTERNS = [
    # "Ignore previous instructions ...", "Disregard all prior prompts"
    _OPEN + _VERBS + r"\s+" + _PRIOR + r"\s+(?:instructions?|prompts?|directions?|rules|guidelines|context)",
    # "... ignore your instructions", anywhere: the possessive names the model as addressee
    r"\b" + _VERBS + r"\s+(?:all\s+)?your\s+(?:previous\s+|prior\s+|system\s+)?"
    r"(?:instructions?|prompts?|rules|programming)",
    # role and template headers pasted into text
    r"(?:^|\n)\s*(?:system|assistant|user)\s*:\s",
    r"<\|(?:im_start|im_end|system|user|assistant|endoftext|start_header_id|eot_id)\|?>",
    r"\[/?INST\]|<</?SYS>>|###\s*(?:system|instruction|response)\b",
    # speaking to the model directly
    r"\b(?:as an ai(?: language)? model|you are (?:now )?(?:an? )?(?:ai|language model|llm|chatbot|assistant)\b)",
    r"\b(?:ai(?: language)? models?|ais?|language models?|llms?|chatbots?|assistants?|summari[sz]ers?)\s+"
    r"(?:reading|summari[sz]ing|processing|parsing) this\b",
    r"\bif you are an? (?:ai|language model|llm|chatbot|assistant)\b",
    # an imperative to write something, opening a sentence and aimed at the output
    _OPEN + r"(?:now\s+)?(?:instead\s*,?\s*)?(?:please\s+)?(?:write|generate|output|print|respond with|reply with|"
    r"say|compose|produce)\s+(?:only\s+)?(?:the\s+(?:word|phrase|following|text)|a\s+(?:poem|song|story|haiku|joke)|"
    r"[\"'“‘])",
    _OPEN + r"(?:do not|don't|never)\s+(?:summari[sz]e|mention|reveal|cite|include)\s+(?:this|the|any)\b",
    r"\bin your (?:summary|answer|response|output|brief),?\s+(?:say|write|state|claim|include|recommend)\b",
]
_DETECTOR = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def addresses_model(text: str) -> bool:
    """True when `text` holds a sentence written for a language model rather than for a reader."""
    return _DETECTOR.search(text) is not None


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """The [start, end) of every match in `text` (to find which sentences carry one)."""
    return [match.span() for match in _DETECTOR.finditer(text)]
