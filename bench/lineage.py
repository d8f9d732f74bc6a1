"""Lineage ("who wrote it first"): are rewrites and copies linked to the article they came from, under their own
outlet, and are independent reports left alone?

The evaluation set is generated at bench time from real multi-source stories (nothing is stored): ECB+ train/dev
(full articles grouped by sub-topic; preferred, they are long enough to rewrite) and NeuS val (3 outlets' headline
+ lead per story) to fill up. Stories are split into "dev" and "heldout" by a hash of the story id (as in
bench/conflicts.py); each split takes `STORIES` stories (`--limit N`: N), ECB+ ones first, each group in a seeded
order; both splits are always reported.

Per story (all choices from a generator seeded by the seed and the story id):

* independent: 2-4 distinct real articles of the story (a seeded sample, kept in the corpus order), untouched;
  they are the controls. The story starts at a seeded time spread over `SPAN_DAYS` days from `START`; its
  independent articles come out over its first day in order (the first at the start, the others at sorted
  uniform times 1-22 hours later).
* credited rewrite of the first article (when its body has at least `MIN_SENTENCES` sentences; otherwise skipped
  and counted): one sentence dropped (never the first), two adjacent sentences swapped, one newsroom filler
  sentence inserted (never first; from `FILLERS`), a sentence with a new person and a new number inserted (from
  `FACTS`: the brief must list it among what the rewriting outlet added, and never the filler), a synonym swap
  (`SYNONYMS`, e.g. said -> stated) in one or
  two sentences that have a swappable word (and in the title when it has one; otherwise the title is kept), the
  body made one paragraph; and a credit to the origin's outlet, alternating between the two forms: a prefix
  "As first reported by <outlet>, " (the first letter of the first sentence lower-cased when that word is
  written lower-case elsewhere in the article or is a common function word; a sentence that does not start with
  a letter takes the suffix instead) or a closing sentence "This story was first reported by <outlet>.".
  Published one day after its origin.
* uncredited rewrite (a share `UNCREDITED_SHARE` of the stories): the same edits without the credit, of the
  second article in a share `SECOND_ORIGIN_SHARE` of them (or when the first is too short), else of the
  first; published 6-24 hours (uniform) after its origin.
* verbatim copy of the second article: the exact title and text under another outlet, url and author, 2 hours
  after it.
* near-verbatim copy (a share `NEAR_SHARE` of the stories) of the second article: its text with one trivial
  change, alternating: a sign-off paragraph "Copyright <year> <outlet>. All rights reserved." appended, or a
  dateline prefix "<CITY> (<outlet>) — " (the copying outlet's own name, a city from `CITIES`); 3 hours after it.

No translations are planted: there is no honest offline way to generate them. Every planted article has its own
made-up outlet "Outlet <letter> <story tag>" (the tag: 6 hex digits of the story id's hash), a url
https://<outlet-slug>.example/<story id>/<n> and a made-up author. One split is one JSONL file ({title, text,
outlet, url, published, authors} per line, in planting order) given to the real CLI in a subprocess on a fresh
database in a temporary folder: `python -m storyline run FILE --db DB --out DIR --silent`; then the brief JSON
files written to DIR and `storyline articles --json` are read.

Scoring. Each planted article is matched to the brief Source with its url (none: "missing"; "stored" says
whether its url is among a stored article's locations all the same — a verbatim copy shares its origin's article
id, the ids being content hashes). A planted item's origin is matched when an id in its Source's `derived_from`
equals the article id of the origin item's Source. Rewrites (credited, uncredited, both): right = role
"derivative" and the right origin; also counted: right origin but another role (e.g. syndicated_copy), the right
role with other origins, not linked (neither), missing. Copies (verbatim and near-verbatim apart): right = role
"syndicated_copy" and the right origin; "shown with outlet" = a Source with the copy's own url and outlet.
False derivatives: independent articles with role derivative or syndicated_copy, over the independents found
(also over the controls alone, the independents nothing was planted from); originals: independents that are the
origin of a planted item and have role "original". Outlet counts: for each story, the brief holding most of its
planted articles; exact when len(coverage.outlets) equals the number of distinct planted outlets of the story
(mean absolute error beside it); stories whose articles went to several briefs, and home briefs holding articles
of other planted stories, are counted apart (clustering, not lineage). For each independent marked derivative or
copy, the share of its 5-word shingles found in an article it is said to derive from is reported: ECB+ holds
some near-copies of its own, which such a share over one half reveals. Examples of misses are printed (ids,
kinds, roles; never text). Targets: derivative recall >= 0.90 with the right origin and role; every verbatim copy
shown with its outlet; <= 5 % of independents marked derivative or copy; outlet counts exact.

Run: `.venv/bin/python bench/lineage.py [--seed 0] [--limit N] [--keep DIR] [--no-write]` (about a minute).
Writes bench/results/lineage.{json,md}: ids, kinds, roles and figures only, never text of the research-licensed
data.
"""

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from common import eval_dir, require, table, write_results

STORIES = 60  # per split
MIN_SENTENCES = 4  # body sentences an article needs to be rewritten
UNCREDITED_SHARE, SECOND_ORIGIN_SHARE, NEAR_SHARE = 0.5, 0.5, 0.5
START = dt.datetime(2024, 1, 1, 6, 0, tzinfo=dt.UTC)
SPAN_DAYS = 730
TARGET_DERIVATIVE, TARGET_SHOWN, TARGET_FALSE, TARGET_OUTLETS = 0.90, 1.0, 0.05, 1.0
EXAMPLES = 6

INDEPENDENT, CREDITED, UNCREDITED = "independent", "credited_rewrite", "uncredited_rewrite"
VERBATIM, NEAR = "verbatim_copy", "near_copy"
KINDS = (INDEPENDENT, CREDITED, UNCREDITED, VERBATIM, NEAR)
REWRITES, COPIES = (CREDITED, UNCREDITED), (VERBATIM, NEAR)
DERIVATIVE, COPY = "derivative", "syndicated_copy"

FILLERS = (
    "Officials did not immediately respond to a request for comment.",
    "Further details were not immediately available.",
    "This is a developing story and will be updated.",
    "More information is expected in the coming days.",
    "The outlet has reached out to those involved for comment.",
)
# A sentence with facts the origin does not state (a new person and a new number), added to every rewrite: the
# brief must list it as what the rewriting outlet added, and never the filler.
FACTS = (
    "{person}, a spokesperson for the regional council, said {n} staff had been assigned to the case.",
    "According to {person}, at least {n} residents contacted the hotline on the first day.",
    "{person} told reporters that the review would cost about {n} thousand dollars.",
    "A statement from {person} put the number of people affected at {n}.",
)
FACT_FIRST = "Ellis Marlowe Dana Fenwick Noel Ashby Rowan Kerr Sasha Penrose Blair Tamsin".split()
FACT_LAST = "Okafor Lindqvist Abernethy Castellanos Nakamura Delacroix Vukovic Haldane".split()
SYNONYMS = {
    "said": "stated",
    "says": "states",
    "announced": "revealed",
    "told": "informed",
    "added": "noted",
    "confirmed": "verified",
    "began": "started",
    "arrested": "detained",
    "warned": "cautioned",
    "revealed": "disclosed",
    "nearly": "almost",
    "expected": "anticipated",
    "died": "perished",
    "showed": "indicated",
}
_SWAP = re.compile(r"\b(?:" + "|".join(SYNONYMS) + r")\b", re.IGNORECASE)
CITIES = ("LONDON", "NEW YORK", "CHICAGO", "SYDNEY", "TORONTO", "DUBLIN")
FIRST_NAMES = "Alex Jordan Morgan Casey Riley Taylor Jamie Robin Avery Quinn Drew Sam".split()
LAST_NAMES = "Hale Marsh Brook Lane Frost Reed Stone Wells Grant Pryce Vale Hart".split()
COMMON_FIRST_WORDS = frozenset(
    "a an the in on at it he she they we this that these those there his her their its one two three after "
    "before when while as for with by from police officials authorities".split()
)

_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(]?[A-Z0-9])|(?<=[.!?][\"”’])\s+(?=[\"“A-Z])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Sgt|Capt|No|Inc|Corp|Co|vs)|\b[A-Z])\.$"
)
_FIRST_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


# --- data -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawArticle:
    title: str
    body: str


@dataclass(frozen=True)
class RawStory:
    id: str
    articles: tuple[RawArticle, ...]


@dataclass(frozen=True)
class Planted:
    """One article of the planted set (its text only lives in the temporary JSONL file)."""

    story: str
    n: int  # number inside the story (its url ends with it)
    kind: str
    origin: int | None  # n of the item it copies or rewrites
    title: str
    text: str
    outlet: str
    url: str
    published: dt.datetime
    author: str
    detail: str = ""  # credit form, trivial change, paraphrase count

    def record(self) -> dict[str, Any]:
        published = self.published.replace(microsecond=0).isoformat().replace("+00:00", "Z")
        return {
            "title": self.title,
            "text": self.text,
            "outlet": self.outlet,
            "url": self.url,
            "published": published,
            "authors": [self.author],
        }


@dataclass
class Tally:
    """What the planting did and skipped in one split."""

    planted: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    details: Counter[str] = field(default_factory=Counter)


# --- loading ----------------------------------------------------------------------------------------------------


def load_stories() -> list[RawStory]:
    """ECB+ sub-topics, then NeuS items; distinct texts only, stories with two or more of them."""
    base = eval_dir()
    neus = require(base / "neus" / "neus_val.jsonl", "NeuS val (neus/neus_val.jsonl)")
    ecb = require(base / "ecbplus" / "ecbplus_train_dev.jsonl", "ECB+ train/dev (ecbplus/ecbplus_train_dev.jsonl)")
    groups: dict[str, list[RawArticle]] = {}
    for line in ecb.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        groups.setdefault(f"ecb-{doc['subtopic']}", []).append(RawArticle(doc["title"], doc["text"]))
    for line in neus.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        groups[f"neus-{item['id']}"] = [RawArticle(a["title"], a["text"]) for a in item["articles"]]
    stories = [RawStory(name, distinct(articles)) for name, articles in groups.items()]
    return [s for s in stories if len(s.articles) >= 2]


def distinct(articles: list[RawArticle]) -> tuple[RawArticle, ...]:
    seen: dict[str, RawArticle] = {}
    for a in articles:
        if a.body.strip():
            seen.setdefault(" ".join(f"{a.title} {a.body}".casefold().split()), a)
    return tuple(seen.values())


def split_of(story_id: str) -> str:
    return "dev" if hashlib.sha256(story_id.encode()).digest()[0] % 2 == 0 else "heldout"


def choose(stories: list[RawStory], split: str, count: int, seed: int) -> list[RawStory]:
    """`count` stories of the split: ECB+ first (full texts), then NeuS, each in a seeded order."""
    rng = random.Random(f"{seed}:{split}:order")
    mine = [s for s in stories if split_of(s.id) == split]
    ecb = [s for s in mine if s.id.startswith("ecb-")]
    neus = [s for s in mine if not s.id.startswith("ecb-")]
    rng.shuffle(ecb)
    rng.shuffle(neus)
    return (ecb + neus)[:count]


# --- edits --------------------------------------------------------------------------------------------------------


def split_sentences(text: str) -> list[str]:
    """Sentences of a text made one paragraph (a regular-expression splitter; abbreviations re-joined)."""
    sentences: list[str] = []
    for piece in _BOUNDARY.split(" ".join(text.split())):
        if sentences and _ABBREVIATION.search(sentences[-1]):
            sentences[-1] += " " + piece
        elif piece:
            sentences.append(piece)
    return sentences


def swap_word(sentence: str) -> str | None:
    """The sentence with its first swappable word replaced by its synonym (capitalization kept)."""
    match = _SWAP.search(sentence)
    if match is None:
        return None
    word = match.group()
    new = SYNONYMS[word.lower()]
    new = new.capitalize() if word[0].isupper() else new
    return sentence[: match.start()] + new + sentence[match.end() :]


def paraphrase(sentences: list[str], rng: random.Random) -> int:
    """Swap a synonym in one or two sentences that have a swappable word (in place); how many were changed."""
    candidates = [i for i, s in enumerate(sentences) if _SWAP.search(s)]
    chosen = rng.sample(candidates, min(len(candidates), rng.randint(1, 2)))
    for i in chosen:
        sentences[i] = swap_word(sentences[i]) or sentences[i]
    return len(chosen)


def lower_first(sentence: str, context: str) -> str:
    """The sentence with its first letter lower-cased when its first word is a common word (written lower-case
    elsewhere in the article, or a function word); names and acronyms keep their capital."""
    match = _FIRST_WORD.match(sentence)
    if match is None:
        return sentence
    word = match.group()
    if word == "I" or not word[1:].islower():
        return sentence
    common = word.lower() in COMMON_FIRST_WORDS or re.search(rf"\b{re.escape(word.lower())}\b", context)
    return word[0].lower() + sentence[1:] if common else sentence


def rewrite(body: str, rng: random.Random, credit: str | None, form: str) -> tuple[str, str] | None:
    """The edited body and a note of what was done; None when the body is too short to rewrite.

    `credit` (an outlet) with `form` "prefix" or "suffix" adds the credit line; None rewrites without credit."""
    sentences = split_sentences(body)
    if len(sentences) < MIN_SENTENCES:
        return None
    swapped = paraphrase(sentences, rng)
    del sentences[rng.randrange(1, len(sentences))]
    i = rng.randrange(len(sentences) - 1)
    sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    sentences.insert(rng.randrange(1, len(sentences) + 1), rng.choice(FILLERS))
    person = f"{rng.choice(FACT_FIRST)} {rng.choice(FACT_LAST)}"
    sentences.insert(rng.randrange(1, len(sentences) + 1), fact_sentence(rng, person, body))
    note = f"paraphrased {swapped}"
    if credit is not None:
        if form == "prefix" and sentences[0][:1].isalpha():
            sentences[0] = f"As first reported by {credit}, {lower_first(sentences[0], body)}"
        else:
            form = "suffix"
            sentences.append(f"This story was first reported by {credit}.")
        note = f"{form}, {note}"
    return " ".join(sentences), note


def fact_sentence(rng: random.Random, person: str, body: str) -> str:
    """A FACTS sentence naming `person` with a number the body does not contain."""
    numbers = set(re.findall(r"\d+", body))
    n = next(str(v) for v in iter(lambda: rng.randint(13, 97), None) if str(v) not in numbers)
    return rng.choice(FACTS).format(person=person, n=n)


def planted_fact(text: str) -> str | None:
    """The FACTS sentence planted in a rewrite's text, if any."""
    for template in FACTS:
        pattern = re.escape(template).replace(r"\{person\}", r"[A-Z]\w+ [A-Z]\w+").replace(r"\{n\}", r"\d+")
        found = re.search(pattern, text)
        if found:
            return found.group()
    return None


def near_copy_text(text: str, outlet: str, year: int, change: str, city: str) -> str:
    if change == "sign-off":
        return f"{text.rstrip()}\n\nCopyright {year} {outlet}. All rights reserved."
    return f"{city} ({outlet}) — {text.lstrip()}"


# --- planting ----------------------------------------------------------------------------------------------------


class Namer:
    """Outlets, urls and authors of one story: a new letter, slug and person for every article."""

    def __init__(self, story_id: str, rng: random.Random) -> None:
        self.story_id = story_id
        self.tag = hashlib.sha256(story_id.encode()).hexdigest()[:6].upper()
        self.people = [f"{f} {last}" for f in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(self.people)
        self.count = 0

    def next(self) -> tuple[str, str, str]:
        """(outlet, url, author) of the next article."""
        n = self.count
        self.count += 1
        outlet = f"Outlet {chr(ord('A') + n)} {self.tag}"
        slug = re.sub(r"[^a-z0-9]+", "-", outlet.lower())
        return outlet, f"https://{slug}.example/{self.story_id}/{n}", self.people[n]


def plant_story(raw: RawStory, seed: int, tally: Tally) -> list[Planted]:
    """The planted articles of one story, independents first (see the module notes)."""
    rng = random.Random(f"{seed}:{raw.id}")
    namer = Namer(raw.id, rng)
    k = min(len(raw.articles), rng.randint(2, 4))
    picked = [raw.articles[i] for i in sorted(rng.sample(range(len(raw.articles)), k))]
    start = START + dt.timedelta(days=rng.uniform(0, SPAN_DAYS))
    hours = [0.0, *sorted(rng.uniform(1, 22) for _ in range(k - 1))]
    items: list[Planted] = []
    for article, hour in zip(picked, hours, strict=True):
        outlet, url, author = namer.next()
        when = start + dt.timedelta(hours=hour)
        items.append(
            Planted(raw.id, len(items), INDEPENDENT, None, article.title, article.body, outlet, url, when, author)
        )
    items += rewrites(items, rng, namer, tally)
    items += copies(items[1], rng, namer, tally)
    for item in items:
        tally.planted[item.kind] += 1
        if item.detail:
            tally.details[f"{item.kind}: {item.detail}"] += 1
    return items


def rewritten(
    origin: Planted, kind: str, rng: random.Random, namer: Namer, when: dt.datetime, form: str
) -> Planted | None:
    credit = origin.outlet if kind == CREDITED else None
    done = rewrite(origin.text, rng, credit, form)
    if done is None:
        return None
    text, note = done
    outlet, url, author = namer.next()
    title = swap_word(origin.title) or origin.title
    note += ", title kept" if title == origin.title else ", title paraphrased"
    return Planted(origin.story, namer.count - 1, kind, origin.n, title, text, outlet, url, when, author, note)


def rewrites(independents: list[Planted], rng: random.Random, namer: Namer, tally: Tally) -> list[Planted]:
    """The credited rewrite of the first article, and for some stories an uncredited one."""
    out = []
    first = independents[0]
    form = "prefix" if tally.planted[CREDITED] % 2 == 0 else "suffix"
    credited = rewritten(first, CREDITED, rng, namer, first.published + dt.timedelta(days=1), form)
    if credited is None:
        tally.skipped[f"{CREDITED}: origin under {MIN_SENTENCES} sentences"] += 1
    else:
        out.append(credited)
    if rng.random() < UNCREDITED_SHARE:
        eligible = [a for a in independents[:2] if len(split_sentences(a.text)) >= MIN_SENTENCES]
        if not eligible:
            tally.skipped[f"{UNCREDITED}: origin under {MIN_SENTENCES} sentences"] += 1
            return out
        origin = eligible[-1] if len(eligible) == 2 and rng.random() < SECOND_ORIGIN_SHARE else eligible[0]
        when = origin.published + dt.timedelta(hours=rng.uniform(6, 24))
        uncredited = rewritten(origin, UNCREDITED, rng, namer, when, "")
        if uncredited is not None:
            out.append(uncredited)
    return out


def copies(second: Planted, rng: random.Random, namer: Namer, tally: Tally) -> list[Planted]:
    """A verbatim copy of the second article, and for some stories a near-verbatim one."""
    outlet, url, author = namer.next()
    when = second.published + dt.timedelta(hours=2)
    out = [
        replace(
            second,
            n=namer.count - 1,
            kind=VERBATIM,
            origin=second.n,
            outlet=outlet,
            url=url,
            published=when,
            author=author,
        )
    ]
    if rng.random() < NEAR_SHARE:
        outlet, url, author = namer.next()
        when = second.published + dt.timedelta(hours=3)
        change = "sign-off" if tally.planted[NEAR] % 2 == 0 else "dateline"
        text = near_copy_text(second.text, outlet, when.year, change, rng.choice(CITIES))
        out.append(
            Planted(
                second.story, namer.count - 1, NEAR, second.n, second.title, text, outlet, url, when, author, change
            )
        )
    return out


def build(stories: list[RawStory], split: str, count: int, seed: int) -> tuple[list[Planted], Tally]:
    tally = Tally()
    items = [item for raw in choose(stories, split, count, seed) for item in plant_story(raw, seed, tally)]
    return items, tally


# --- running the CLI ------------------------------------------------------------------------------------------------


@dataclass
class Output:
    """What one CLI run left: the briefs, the stored articles, the exit code and the wall time."""

    briefs: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    seconds: float
    code: int
    stderr_tail: list[str]


def storyline(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # cwd: a temporary folder, so no storyline.toml of the caller's is read
    command = [sys.executable, "-m", "storyline", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def run_cli(items: list[Planted], folder: Path) -> Output:
    folder.mkdir(parents=True)
    path, db, out = folder / "planted.jsonl", folder / "x.db", folder / "out"
    path.write_text("".join(json.dumps(i.record(), ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    started = time.perf_counter()
    done = storyline("run", str(path), "--db", str(db), "--out", str(out), "--silent", cwd=folder)
    seconds = time.perf_counter() - started
    briefs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))] if out.is_dir() else []
    listing = storyline("articles", "--json", "--db", str(db), cwd=folder).stdout
    articles = [json.loads(line) for line in listing.splitlines() if line.strip()]
    tail = done.stderr.splitlines()[-8:] if done.returncode else []
    return Output([b for b in briefs if "sources" in b], articles, seconds, done.returncode, tail)


# --- scoring ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A planted item and what the system made of it."""

    item: Planted
    brief: str | None  # the brief whose sources hold its url
    source: dict[str, Any] | None
    origin_id: str | None  # article id of the origin item's Source
    stored: bool  # its url is among a stored article's locations

    @property
    def role(self) -> str:
        return self.source["role"] if self.source else "missing"

    @property
    def origin_matched(self) -> bool:
        return bool(self.source and self.origin_id and self.origin_id in self.source["derived_from"])

    @property
    def shown(self) -> bool:
        """A Source with the item's own url and outlet."""
        return bool(self.source and self.source.get("outlet") == self.item.outlet)

    def result(self) -> str:
        """right | right origin, wrong role | wrong origin | not linked | missing (rewrites and copies)."""
        right_role = DERIVATIVE if self.item.kind in REWRITES else COPY
        if self.source is None:
            return "missing"
        if self.origin_matched:
            return "right" if self.role == right_role else "right origin, wrong role"
        return "wrong origin" if self.role == right_role else "not linked"


RESULTS = ("right", "right origin, wrong role", "wrong origin", "not linked", "missing")


def locate(items: list[Planted], output: Output) -> list[Found]:
    by_url: dict[str, tuple[str, dict[str, Any]]] = {}
    for data in output.briefs:
        for source in data["sources"]:
            if source.get("url"):
                by_url.setdefault(source["url"], (data["id"], source))
    stored = {loc for a in output.articles for loc in a.get("locations") or []}
    urls = {(i.story, i.n): i.url for i in items}
    found = []
    for item in items:
        home = by_url.get(item.url)
        origin = by_url.get(urls[(item.story, item.origin)]) if item.origin is not None else None
        origin_id = origin[1].get("article_id") if origin else None
        brief, source = (home[0], home[1]) if home else (None, None)
        found.append(Found(item, brief, source, origin_id, item.url in stored))
    return found


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def linked_rows(found: list[Found]) -> dict[str, dict[str, Any]]:
    """Per rewrite / copy kind (and all rewrites together): counts per result, recall, shown with outlet."""
    groups = {CREDITED: [CREDITED], UNCREDITED: [UNCREDITED], "rewrites": list(REWRITES), VERBATIM: [VERBATIM]}
    groups[NEAR] = [NEAR]
    rows = {}
    for name, kinds in groups.items():
        mine = [f for f in found if f.item.kind in kinds]
        results = Counter(f.result() for f in mine)
        rows[name] = {
            "planted": len(mine),
            **{r: results[r] for r in RESULTS},
            "recall": share(results["right"], len(mine)),
            "shown_with_outlet": sum(f.shown for f in mine),
            "stored_without_source": sum(f.stored and f.source is None for f in mine),
            "roles": dict(Counter(f.role for f in mine).most_common()),
        }
    return rows


def shingles(item: Planted) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", f"{item.title} {item.text}".lower())
    return {tuple(words[i : i + 5]) for i in range(max(1, len(words) - 4))}


def overlaps(found: list[Found]) -> dict[tuple[str, int], float]:
    """For each independent marked derivative or copy: the largest share of its 5-word shingles found in one of
    the articles it is said to derive from (a high share means the corpus itself holds a near-copy)."""
    by_id = {f.source["article_id"]: f.item for f in found if f.source and f.source.get("article_id")}
    out = {}
    for f in found:
        if f.item.kind == INDEPENDENT and f.source and f.role in (DERIVATIVE, COPY):
            mine = shingles(f.item)
            parents = [by_id[i] for i in f.source["derived_from"] if i in by_id]
            out[(f.item.story, f.item.n)] = max((len(mine & shingles(p)) / len(mine) for p in parents), default=0.0)
    return out


def independents(found: list[Found]) -> dict[str, Any]:
    mine = [f for f in found if f.item.kind == INDEPENDENT]
    overlap = overlaps(found)
    origins = {(f.item.story, f.item.origin) for f in found if f.item.origin is not None}
    present = [f for f in mine if f.source is not None]
    controls = [f for f in present if (f.item.story, f.item.n) not in origins]
    is_origin = [f for f in present if (f.item.story, f.item.n) in origins]
    false = [f for f in present if f.role in (DERIVATIVE, COPY)]
    false_controls = [f for f in controls if f.role in (DERIVATIVE, COPY)]
    return {
        "planted": len(mine),
        "found": len(present),
        "roles": dict(Counter(f.role for f in mine).most_common()),
        "false_derivatives": len(false),
        "false_share": share(len(false), len(present)),
        "controls": len(controls),
        "false_controls": len(false_controls),
        "false_share_controls": share(len(false_controls), len(controls)),
        "false_with_overlap_over_half": sum(v >= 0.5 for v in overlap.values()),
        "false_overlaps": {f"{story}/{n}": round(v, 3) for (story, n), v in overlap.items()},
        "origins": len(is_origin),
        "origins_original": sum(f.role == "original" for f in is_origin),
    }


def outlet_counts(found: list[Found], output: Output) -> dict[str, Any]:
    """Per story: its home brief (holding most of its articles), expected vs. shown outlet count."""
    briefs = {b["id"]: b for b in output.briefs}
    story_of_url = {f.item.url: f.item.story for f in found}
    stories: dict[str, list[Found]] = {}
    for f in found:
        stories.setdefault(f.item.story, []).append(f)
    errors, split_over, mixed, homeless, rows = [], 0, 0, 0, []
    for story, members in stories.items():
        homes = Counter(f.brief for f in members if f.brief)
        expected = len({f.item.outlet for f in members})
        if not homes:
            homeless += 1
            errors.append(expected)
            rows.append({"story": story, "expected": expected, "shown": 0, "briefs": 0})
            continue
        home = briefs[homes.most_common(1)[0][0]]
        shown = len(home["coverage"]["outlets"])
        errors.append(abs(shown - expected))
        split_over += len(homes) > 1
        others = {story_of_url.get(s.get("url") or "") for s in home["sources"] if s.get("article_id")}
        mixed += bool(others - {story, None})
        rows.append({"story": story, "expected": expected, "shown": shown, "briefs": len(homes)})
    # Per brief: the outlets it shows against the distinct outlets of the planted articles it holds. This is
    # the lineage side of the count (every outlet that ran a text counted, copies included) with clustering
    # taken as it is; the per-story count above also needs every article of a story in one brief.
    held: dict[str, set[str]] = {}
    for f in found:
        if f.brief:
            held.setdefault(f.brief, set()).add(f.item.outlet)
    brief_exact = sum(len(briefs[b]["coverage"]["outlets"]) == len(outlets) for b, outlets in held.items())
    return {
        "briefs": len(held),
        "briefs_exact": brief_exact,
        "stories": len(stories),
        "exact": sum(e == 0 for e in errors),
        "exact_rate": share(sum(e == 0 for e in errors), len(errors)),
        "mae": statistics.mean(errors) if errors else None,
        "split_over_briefs": split_over,
        "home_brief_mixed": mixed,
        "no_brief": homeless,
        "items": rows,
    }


def near_by_change(found: list[Found]) -> dict[str, dict[str, int]]:
    """Near-verbatim copies per trivial change: planted, right, missing."""
    out: dict[str, dict[str, int]] = {}
    for f in found:
        if f.item.kind == NEAR:
            row = out.setdefault(f.item.detail, {"planted": 0, "right": 0, "missing": 0})
            row["planted"] += 1
            row["right"] += f.result() == "right"
            row["missing"] += f.source is None
    return out


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def additions(found: list[Found], output: Output) -> dict[str, Any]:
    """Per planted rewrite found as a derivative: is its planted fact sentence among its `added` spans, is its
    filler, and how many spans it lists (the ideal is exactly the fact sentence)."""
    texts = {a["id"]: a.get("text") or "" for a in output.articles}
    rows = {"rewrites": 0, "fact_listed": 0, "filler_listed": 0, "spans": 0, "exactly_the_fact": 0}
    for f in found:
        if f.item.kind not in REWRITES or f.source is None or f.role != DERIVATIVE:
            continue
        fact = planted_fact(f.item.text)
        if fact is None:
            continue
        text = texts.get(f.source["article_id"], "")
        spans = [_plain(text[e["start"] : e["end"]]) for e in f.source.get("added") or []]
        listed = any(_plain(fact) in span for span in spans)
        rows["rewrites"] += 1
        rows["fact_listed"] += listed
        rows["filler_listed"] += any(_plain(x) in span for x in FILLERS for span in spans)
        rows["spans"] += len(spans)
        rows["exactly_the_fact"] += listed and len(spans) == 1
    return rows | {"fact_recall": share(rows["fact_listed"], rows["rewrites"])}


def item_record(f: Found) -> dict[str, Any]:
    """What the JSON keeps of one planted article: ids, kinds and roles, no text."""
    record: dict[str, Any] = {"story": f.item.story, "n": f.item.n, "kind": f.item.kind}
    if f.item.origin is not None:
        record |= {"origin": f.item.origin, "result": f.result(), "shown": f.shown}
    if f.item.detail:
        record["detail"] = f.item.detail
    record |= {"role": f.role, "brief": f.brief, "article_id": (f.source or {}).get("article_id")}
    if f.source and f.source["derived_from"]:
        record["derived_from"] = f.source["derived_from"]
    return record


def split_report(found: list[Found], output: Output, tally: Tally) -> dict[str, Any]:
    return {
        "stories": len({f.item.story for f in found}),
        "articles": len(found),
        "planted": dict(tally.planted),
        "skipped": dict(tally.skipped),
        "details": dict(sorted(tally.details.items())),
        "linked": linked_rows(found),
        "near_by_change": near_by_change(found),
        "independents": independents(found),
        "outlets": outlet_counts(found, output),
        "additions": additions(found, output),
        "briefs": len(output.briefs),
        "stored_articles": len(output.articles),
        "seconds": output.seconds,
        "exit_code": output.code,
        "stderr_tail": output.stderr_tail,
        "items": [item_record(f) for f in found],
    }


def targets(report: dict[str, Any]) -> dict[str, bool]:
    linked, indep, outlets = report["linked"], report["independents"], report["outlets"]
    verbatim = linked[VERBATIM]
    return {
        f"derivative recall >= {TARGET_DERIVATIVE:.2f} (right origin and role)": (
            (linked["rewrites"]["recall"] or 0) >= TARGET_DERIVATIVE
        ),
        "verbatim copies 100 % shown with their outlets": (
            verbatim["planted"] > 0 and verbatim["shown_with_outlet"] >= TARGET_SHOWN * verbatim["planted"]
        ),
        f"<= {TARGET_FALSE:.0%} of independents marked derivative": (indep["false_share"] or 0) <= TARGET_FALSE,
        "outlet counts exact": (outlets["exact_rate"] or 0) >= TARGET_OUTLETS,
    }


# --- report -------------------------------------------------------------------------------------------------------


def fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


COLUMNS = [
    "kind",
    "planted",
    "right role + origin",
    "right origin, wrong role",
    "right role, wrong origin",
    "not linked",
    "missing",
    "recall",
    "shown with own outlet",
]


def table_rows(report: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for kind, v in report["linked"].items():
        cells = [v[r] for r in RESULTS]
        rows.append([kind, v["planted"], *cells, fmt(v["recall"]), f"{v['shown_with_outlet']}/{v['planted']}"])
    return rows


def near_line(report: dict[str, Any]) -> str:
    parts = [
        f"{k}: {v['right']} right, {v['missing']} missing of {v['planted']}"
        for k, v in report["near_by_change"].items()
    ]
    return f"Near-verbatim copies by change: {'; '.join(parts) or 'none'}."


def independents_line(report: dict[str, Any]) -> str:
    i = report["independents"]
    roles = ", ".join(f"{k} {n}" for k, n in i["roles"].items())
    return (
        f"Independents: {i['found']}/{i['planted']} found (roles: {roles}); marked derivative or copy "
        f"{i['false_derivatives']}/{i['found']} ({fmt(i['false_share'])}; of them {i['false_with_overlap_over_half']} "
        "share over half their 5-word shingles with the article named, i.e. near-copies in the corpus itself); "
        "controls alone (nothing planted from "
        f"them) {i['false_controls']}/{i['controls']} ({fmt(i['false_share_controls'])}); origins of a planted "
        f"item marked original {i['origins_original']}/{i['origins']}."
    )


def outlets_line(report: dict[str, Any]) -> str:
    o = report["outlets"]
    return (
        f"Outlet counts per brief (outlets shown against the distinct outlets of the planted articles it holds): "
        f"exact {o.get('briefs_exact', '?')}/{o.get('briefs', '?')}. "
        f"Outlet counts (home brief of each story): exact {o['exact']}/{o['stories']} ({fmt(o['exact_rate'])}), "
        f"mean absolute error {fmt(o['mae'])}. Clustering: {o['split_over_briefs']} stories split over several "
        f"briefs, {o['home_brief_mixed']} home briefs holding other planted stories' articles, {o['no_brief']} "
        "stories in no brief."
    )


def additions_line(report: dict[str, Any]) -> str:
    a = report["additions"]
    return (
        f"Added facts (each rewrite also carries one planted sentence with a new name and number): listed as "
        f"added by the rewriting outlet in {a['fact_listed']}/{a['rewrites']} rewrites found as derivatives "
        f"({fmt(a['fact_recall'])}), the only span listed in {a['exactly_the_fact']}; filler listed "
        f"{a['filler_listed']} times; {a['spans']} added spans in all."
    )


def split_markdown(name: str, report: dict[str, Any]) -> str:
    met = targets(report)
    stored = sum(v["stored_without_source"] for k, v in report["linked"].items() if k != "rewrites")
    return (
        f"### {name}\n\n{report['stories']} stories, {report['articles']} planted articles ("
        + ", ".join(f"{k} {n}" for k, n in report["planted"].items())
        + f"); skipped: {', '.join(f'{k} {n}' for k, n in report['skipped'].items()) or 'none'}.\n\n"
        + table(COLUMNS, table_rows(report))
        + f"\n\n{near_line(report)} Stored but with no Source of their own (url among a stored article's "
        f"locations): {stored}. "
        + independents_line(report)
        + " "
        + outlets_line(report)
        + " "
        + additions_line(report)
        + f" Wall time of the CLI run: {report['seconds']:.0f} s ({report['briefs']} briefs"
        + (f"; exit code {report['exit_code']}" if report["exit_code"] else "")
        + ").\n\nTargets: "
        + "; ".join(f"{k}: {'met' if ok else 'not met'}" for k, ok in met.items())
        + ".\n"
    )


def markdown(data: dict[str, Any]) -> str:
    return (
        "## Lineage: who wrote it first (`bench/lineage.py`)\n\n"
        "A planted set generated at bench time (nothing stored) from ECB+ train/dev sub-topics (full articles, "
        f"preferred) and NeuS val stories (headline + lead), {data['stories_per_split']} stories per split, seed "
        f"{data['seed']}; stories split into dev and heldout by a hash of the story id. Per story 2-4 real "
        "articles, each under its own made-up outlet and url, over the story's first day (the controls); a "
        'credited rewrite of the first ("As first reported by X, ..." or a closing "This story was first reported '
        'by X.", alternating) one day later; for half of the stories an uncredited rewrite of the first or second, '
        "6-24 hours after it (rewrites: one sentence dropped, two adjacent sentences swapped, a newsroom filler "
        "sentence added, a sentence with a new name and number added, "
        "a synonym swap in one or two sentences; only articles of 4+ sentences are rewritten); a "
        "verbatim copy of the second article (same title and text) under another outlet 2 hours after it; for "
        "half of the stories a near-verbatim copy of it (a copyright sign-off appended or a dateline prefixed) 3 "
        "hours after it. No translations are planted (no honest offline way to make them). One JSONL file per "
        "split goes through `storyline run` (subprocess, fresh database); each planted article is matched to the "
        "brief Source with its url. Right: role `derivative` (rewrites) or `syndicated_copy` (copies) with the "
        "origin's article id in `derived_from`. Shown with own outlet: a Source with the article's url and "
        "outlet. Outlet counts: `len(coverage.outlets)` of the brief holding most of a story's articles against "
        "the story's planted outlets. Targets: derivative recall >= 0.90 with the right origin and role; every "
        "verbatim copy shown with its outlet; <= 5 % of independents marked derivative; outlet counts exact.\n\n"
        + "\n".join(split_markdown(name, report) for name, report in data["splits"].items())
    )


def print_summary(split: str, report: dict[str, Any]) -> None:
    print(f"== {split}: {report['stories']} stories, {report['articles']} planted articles {report['planted']}")
    print(f"  skipped: {report['skipped'] or 'none'}")
    print("  " + table(COLUMNS, table_rows(report)).replace("\n", "\n  "))
    for kind, v in report["linked"].items():
        print(f"  roles of {kind}: {v['roles']}; stored without a Source: {v['stored_without_source']}")
    print(f"  {near_line(report)}")
    print(f"  {independents_line(report)}")
    print(f"  {outlets_line(report)}")
    print(f"  {additions_line(report)}")
    print(f"  CLI wall time {report['seconds']:.1f} s, exit code {report['exit_code']}, {report['briefs']} briefs")
    for line in report["stderr_tail"]:
        print(f"    stderr: {line}")
    for target, ok in targets(report).items():
        print(f"  target {target}: {'met' if ok else 'NOT met'}")


def print_examples(found: list[Found]) -> None:
    misses = [f for f in found if f.item.origin is not None and f.result() != "right"]
    picked = [next((f for f in misses if f.item.kind == k), None) for k in KINDS[1:]]
    picked += [f for f in misses if f not in picked][: max(0, EXAMPLES - 4)]
    for f in [p for p in picked if p is not None][:EXAMPLES]:
        derived = (f.source or {}).get("derived_from", [])
        print(
            f"  miss {f.item.story}/{f.item.n} {f.item.kind} of /{f.item.origin} ({f.item.detail or '-'}): "
            f"{f.result()}, role {f.role}, derived_from {derived}, origin id {f.origin_id}, stored {f.stored}"
        )
    overlap = overlaps(found)
    for (story, n), share_ in list(overlap.items())[:4]:
        f = next(f for f in found if (f.item.story, f.item.n) == (story, n))
        derived = (f.source or {}).get("derived_from")
        print(f"  independent marked {f.role}: {story}/{n} derived_from {derived}, shingle overlap {share_:.2f}")


# --- main ---------------------------------------------------------------------------------------------------------


def run(seed: int, limit: int | None, keep: Path | None) -> dict[str, Any]:
    started = time.perf_counter()
    stories = load_stories()
    count = limit or STORIES
    data: dict[str, Any] = {"seed": seed, "limit": limit, "stories_per_split": count, "splits": {}}
    base = keep or Path(tempfile.mkdtemp(prefix="storyline-lineage-"))
    try:
        for split in ("dev", "heldout"):
            items, tally = build(stories, split, count, seed)
            folder = base / split
            if folder.exists():
                shutil.rmtree(folder)
            output = run_cli(items, folder)
            found = locate(items, output)
            report = split_report(found, output, tally)
            data["splits"][split] = report
            print_summary(split, report)
            print_examples(found)
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)
        else:
            print(f"kept the planted files and databases in {base}")
    data["seconds_total"] = time.perf_counter() - started
    return data


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help=f"stories per split (default {STORIES})")
    parser.add_argument("--keep", type=Path, help="write the planted files and databases here and keep them")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write bench/results")
    args = parser.parse_args(argv)
    data = run(args.seed, args.limit, args.keep)
    print(f"total {data['seconds_total']:.0f} s")
    if not args.no_write:
        print(f"wrote {write_results('lineage', data, markdown(data))}")


if __name__ == "__main__":
    main(sys.argv[1:])
