"""Quote extraction and speaker attribution on PolNeAR (political news attribution relations, BRAT standoff).

Run: `.venv/bin/python bench/quotes.py` (dev split, with and without entities). Options: `--split train` for
development, `--no-entities` to skip the spaCy run, `--limit N` articles, `--errors N` to print misses.
The test split is never read. Data: `<eval>/polnear/data/<split>/{text,attributions}`, where `<eval>` is
$STORYLINE_EVAL_DIR or ../../shared/eval from this file; the script exits with a message when it is absent.

Gold. One annotation file per article: the first by file name when an article has two annotators. Every
attribution event (`E` line) with a Content span (`Content`, `Content2`) gives gold content fragments; its Source
span (absent for `Attribution-no-source`) is the gold speaker. Discontinuous fragments separated only by
whitespace are merged (annotators sometimes cut one quote per sentence); fragments separated by anything else
(an attribution, a paragraph break and a new opening mark) stay separate, which matches how `find_quotes` emits
one `Quote` per contiguous piece.

Direct (the exact rule). A gold fragment, stripped of surrounding whitespace, is *direct* when it starts with an
opening quotation mark (one of “ " „ « ‹ ‘ ' '' `` 「 『) and either
  (a) it ends, after dropping trailing whitespace and . , ; : ! ?, with a closing mark of the same family
      (double: ” " “ '' ; single: ’ ' ; guillemets: » › « ; corners: 」 』), and the text between the two outer
      marks holds no further mark of that family (so “A,” he said, “B.” is not one direct fragment; inner single
      quotes are fine), or
  (b) it has no closing mark of its family at all and ends at the end of a paragraph (a quote that continues in
      the next paragraph).
Everything else (including that-clauses with a quoted phrase inside) is not direct, but counts under "all".

Matching. Spans are compared after normalization: strip whitespace, quotation marks and . , ; : ! ? — – - from
both ends; for the "all attributions" figures also a leading "that ". Exact: normalized spans are equal
(one-to-one per article). Partial: spans overlap by at least one character; recall counts gold fragments that
some prediction overlaps, precision counts predictions that overlap some gold fragment.
Direct figures compare `kind == "direct"` predictions with direct gold fragments; "indirect" compares
`kind == "indirect"` predictions with the other gold fragments; "all" compares every prediction with every gold
fragment (PolNeAR also annotates beliefs and intentions, "X wants to ...", which no cue list here covers).

Speaker accuracy: over gold direct fragments that have a Source and a partially matching direct prediction (the
one with the largest overlap): the share whose predicted `speaker_span` overlaps the gold Source span. When the
gold Source is a pronoun (he, she, they, ...), a second figure checks the predicted `speaker` name: it is right
when it contains the antecedent's last capitalized word before any comma, dash or parenthesis ("Gov. Chris
Christie – a Cowboys fan –" -> "Christie"), the antecedent being the nearest earlier gold Source in the article
that has such a word (an approximation: PolNeAR has no coreference links).

Anchor (same run): a naive baseline that takes every “...” / "..." / ''...'' span of 3+ words as a direct quote,
with the nearest capitalized word before the next "said"/"says" in the sentence as its speaker.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from storyline.analyze.quotes import find_quotes
from storyline.analyze.sentences import split_sentences
from storyline.records import Entity, Quote

EVAL_DIR = Path(os.environ.get("STORYLINE_EVAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "eval"))
RESULTS = Path(__file__).resolve().parent / "results" / "quotes.json"

OPENERS = {"“": "d", '"': "d", "„": "d", "''": "d", "``": "d", "‘": "s", "'": "s", "«": "g", "‹": "g", "»": "g"}
OPENERS |= {"「": "c", "『": "w"}
CLOSERS = {"”": "d", '"': "d", "“": "d", "''": "d", "’": "s", "'": "s", "»": "g", "›": "g", "«": "g"}
CLOSERS |= {"」": "c", "』": "w"}
FAMILY_CHARS = {"d": '“”"„', "s": "‘", "g": "«»‹›", "c": "「」", "w": "『』"}
TRIM = " \t\r\n\"'“”„‟«»‹›「」『』‘’‚`.,;:!?—–-"
PRONOUNS = {"he", "she", "they", "it", "i", "we", "him", "her", "them", "you", "his", "their"}


@dataclass
class GoldSpan:
    start: int
    end: int
    direct: bool
    sources: list[tuple[int, int]]


@dataclass
class Article:
    name: str
    text: str
    gold: list[GoldSpan]
    sources: list[tuple[int, int]] = field(default_factory=list)  # every gold Source span, for antecedents


# --- gold -----------------------------------------------------------------------------------------------


def load_split(split: str, limit: int | None) -> list[Article]:
    """Read one PolNeAR split: the first annotation file of each article."""
    base = EVAL_DIR / "polnear" / "data" / split
    annotations: dict[str, Path] = {}
    for path in sorted((base / "attributions").glob("*.ann")):
        annotations.setdefault(path.stem.rsplit("_", 1)[0], path)
    articles = []
    for stem, path in sorted(annotations.items())[:limit]:
        text = (base / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        articles.append(parse_ann(stem, text, path.read_text(encoding="utf-8")))
    return articles


def parse_ann(name: str, text: str, ann: str) -> Article:
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        if re.match(r"T\d+\t", line):
            tid, middle = line.split("\t")[:2]
            _, offsets = middle.split(" ", 1)
            spans[tid] = [(int(a), int(b)) for a, b in (part.split() for part in offsets.split(";"))]
        elif re.match(r"E\d+\t", line):
            roles = dict(part.split(":", 1) for part in line.split("\t")[1].split())
            events.append(roles)
    gold: list[GoldSpan] = []
    all_sources: list[tuple[int, int]] = []
    for event in events:
        sources = spans.get(event.get("Source", ""), [])
        all_sources.extend(sources)
        for role in ("Content", "Content2"):
            if role in event and event[role] in spans:
                for start, end in merge_fragments(text, spans[event[role]]):
                    gold.append(GoldSpan(start, end, is_direct(text, start, end), sources))
    return Article(name, text, gold, sorted(set(all_sources)))


def merge_fragments(text: str, fragments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(fragments):
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def is_direct(text: str, start: int, end: int) -> bool:
    """The docstring's rule: enclosed by quotation marks, or opened and running to the paragraph's end."""
    fragment = text[start:end].strip()
    opener = fragment[:2] if fragment[:2] in OPENERS else fragment[:1]
    if opener not in OPENERS:
        return False
    family = OPENERS[opener]
    body = fragment.rstrip(" .,;:!?")
    closer = body[-2:] if body[-2:] in CLOSERS else body[-1:]
    inner_end = len(body) - len(closer) if CLOSERS.get(closer) == family else len(body)
    inner = fragment[len(opener) : inner_end]
    marks = FAMILY_CHARS[family] if opener != "''" else "”“"
    has_mark = any(c in inner for c in marks) or (opener in ("''", "'") and opener in inner)
    if CLOSERS.get(closer) == family and inner_end > len(opener):
        return not has_mark
    paragraph_end = text[end:].lstrip(" \t")[:1] in ("\n", "")
    return paragraph_end and not has_mark


# --- scoring --------------------------------------------------------------------------------------------


def normalize(text: str, start: int, end: int, drop_that: bool) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    if drop_that and text[start : start + 5].lower() == "that ":
        start += 5
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


@dataclass
class Counts:
    predicted: int = 0
    gold: int = 0
    exact: int = 0
    pred_overlapping: int = 0
    gold_overlapped: int = 0

    def add(
        self, text: str, preds: Sequence[tuple[int, int]], golds: Sequence[tuple[int, int]], drop_that: bool
    ) -> None:
        p = [normalize(text, s, e, drop_that) for s, e in preds]
        g = [normalize(text, s, e, drop_that) for s, e in golds]
        self.predicted += len(p)
        self.gold += len(g)
        self.exact += len(set(p) & set(g))
        self.pred_overlapping += sum(any(overlaps(x, y) for y in g) for x in p)
        self.gold_overlapped += sum(any(overlaps(y, x) for x in p) for y in g)

    def figures(self) -> dict[str, float | int]:
        def f1(p: float, r: float) -> float:
            return round(2 * p * r / (p + r), 4) if p + r else 0.0

        pe = self.exact / self.predicted if self.predicted else 0.0
        re_ = self.exact / self.gold if self.gold else 0.0
        pp = self.pred_overlapping / self.predicted if self.predicted else 0.0
        rp = self.gold_overlapped / self.gold if self.gold else 0.0
        return {
            "predicted": self.predicted,
            "gold": self.gold,
            "exact_precision": round(pe, 4),
            "exact_recall": round(re_, 4),
            "exact_f1": f1(pe, re_),
            "partial_precision": round(pp, 4),
            "partial_recall": round(rp, 4),
            "partial_f1": f1(pp, rp),
        }


@dataclass
class Speakers:
    matched_with_source: int = 0
    matched_without_source: int = 0
    span_right: int = 0
    pronoun_total: int = 0
    pronoun_span_right: int = 0
    pronoun_name_total: int = 0
    pronoun_name_right: int = 0
    misses: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        def share(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        return {
            "matched_gold_direct_with_source": self.matched_with_source,
            "matched_gold_direct_without_source": self.matched_without_source,
            "speaker_span_accuracy": share(self.span_right, self.matched_with_source),
            "pronoun_sources": self.pronoun_total,
            "pronoun_speaker_span_accuracy": share(self.pronoun_span_right, self.pronoun_total),
            "pronoun_with_antecedent": self.pronoun_name_total,
            "pronoun_name_accuracy": share(self.pronoun_name_right, self.pronoun_name_total),
        }


def score_speakers(article: Article, quotes: Sequence[Quote], tally: Speakers) -> None:
    text = article.text
    direct = [q for q in quotes if q.kind == "direct"]
    for gold in (g for g in article.gold if g.direct):
        span = normalize(text, gold.start, gold.end, False)
        best = max(direct, key=lambda q: overlaps(span, (q.start, q.end)), default=None)
        if best is None or not overlaps(span, (best.start, best.end)):
            continue
        if not gold.sources:
            tally.matched_without_source += 1
            continue
        tally.matched_with_source += 1
        right = best.speaker_span is not None and any(overlaps(best.speaker_span, s) for s in gold.sources)
        tally.span_right += right
        if not right and len(tally.misses) < 400:
            said = text[best.speaker_span[0] : best.speaker_span[1]] if best.speaker_span else None
            gold_source = " | ".join(text[s:e] for s, e in gold.sources)
            tally.misses.append(f"{article.name}: {text[span[0] : span[0] + 60]!r} gold={gold_source!r} got={said!r}")
        source_text = " ".join(text[s:e] for s, e in gold.sources).strip().lower()
        if source_text in PRONOUNS:
            tally.pronoun_total += 1
            tally.pronoun_span_right += right
            antecedent = find_antecedent(article, gold.sources[0][0])
            if antecedent:
                tally.pronoun_name_total += 1
                tally.pronoun_name_right += bool(best.speaker) and antecedent.lower() in (best.speaker or "").lower()


def find_antecedent(article: Article, position: int) -> str | None:
    for start, end in reversed([s for s in article.sources if s[0] < position]):
        head = re.split(r"[,(–—]| - ", article.text[start:end])[0]
        words: list[str] = [w for w in re.findall(r"[A-Z][\w’'-]+", head) if w.lower() not in PRONOUNS]
        words = [w for w in words if w not in ("The", "A", "An", "Mr", "Mrs", "Ms", "Dr")]
        if words:
            return words[-1][:-2] if words[-1].endswith(("’s", "'s")) else words[-1]
    return None


# --- runs -----------------------------------------------------------------------------------------------


def naive_quotes(text: str) -> list[Quote]:
    """The anchor: every quoted span of 3+ words, speaker = capitalized word before the next said/says."""
    quotes = []
    for match in re.finditer(r"“([^”\n]+)”|\"([^\"\n]+)\"|''([^'\n]+)''", text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        if len(match.group(group).split()) < 3:
            continue
        tail = text[match.end() : match.end() + 80]
        said = re.search(r"([A-Z][\w-]+) (?:said|says)|(?:said|says) ([A-Z][\w-]+)", tail)
        span = None
        if said:
            g = 1 if said.group(1) else 2
            span = (match.end() + said.start(g), match.end() + said.end(g))
        name = text[span[0] : span[1]] if span else None
        quotes.append(Quote(match.group(group), match.start(group), match.end(group), name, span, "said", "direct"))
    return quotes


def evaluate(articles: Sequence[Article], predict: Iterable[list[Quote]], errors: int, label: str) -> dict[str, object]:
    direct, indirect, every, speakers = Counts(), Counts(), Counts(), Speakers()
    started = time.perf_counter()
    missed: list[str] = []
    for article, quotes in zip(articles, predict, strict=True):
        gold_direct = [(g.start, g.end) for g in article.gold if g.direct]
        pred_direct = [(q.start, q.end) for q in quotes if q.kind == "direct"]
        direct.add(article.text, pred_direct, gold_direct, drop_that=False)
        every.add(article.text, [(q.start, q.end) for q in quotes], [(g.start, g.end) for g in article.gold], True)
        pred_indirect = [(q.start, q.end) for q in quotes if q.kind == "indirect"]
        indirect.add(article.text, pred_indirect, [(g.start, g.end) for g in article.gold if not g.direct], True)
        score_speakers(article, quotes, speakers)
        if errors:
            missed.extend(list_errors(article, quotes))
    seconds = time.perf_counter() - started
    if errors:
        for line in missed[:errors] + speakers.misses[:errors]:
            print(f"[{label}] {line}", file=sys.stderr)
    return {
        "direct": direct.figures(),
        "indirect": indirect.figures(),
        "all_attributions": every.figures(),
        "speakers": speakers.figures(),
        "seconds": round(seconds, 2),
        "articles_per_second": round(len(articles) / seconds, 1) if seconds else None,
    }


def list_errors(article: Article, quotes: Sequence[Quote]) -> list[str]:
    text = article.text
    gold = {normalize(text, g.start, g.end, False) for g in article.gold if g.direct}
    pred = {normalize(text, q.start, q.end, False) for q in quotes if q.kind == "direct"}
    lines = [f"{article.name} MISS {text[s:e][:100]!r}" for s, e in sorted(gold - pred)]
    lines += [f"{article.name} EXTRA {text[s:e][:100]!r}" for s, e in sorted(pred - gold)]
    return lines


def predict(articles: Sequence[Article], entities: Sequence[list[Entity]] | None) -> Iterable[list[Quote]]:
    for index, article in enumerate(articles):
        found = entities[index] if entities is not None else ()
        yield find_quotes(article.text, split_sentences(article.text), found)


def find_entities(articles: Sequence[Article]) -> tuple[list[list[Entity]], float]:
    from storyline.analyze.entities import EntityFinder, EntitySettings

    finder = EntityFinder(EntitySettings(n_process=1))
    started = time.perf_counter()
    found = finder.pipe([a.text for a in articles])
    return found, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "train"], default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--errors", type=int, default=0, help="print this many misses per kind to stderr")
    parser.add_argument("--no-entities", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/quotes.json")
    args = parser.parse_args()
    if not (EVAL_DIR / "polnear").is_dir():
        print(f"PolNeAR not found under {EVAL_DIR}; set STORYLINE_EVAL_DIR. Skipping.")
        return 0
    articles = load_split(args.split, args.limit)
    results: dict[str, object] = {
        "benchmark": "quotes",
        "dataset": f"PolNeAR v1.0.0 {args.split} split, first annotator file per article",
        "articles": len(articles),
        "gold_fragments": sum(len(a.gold) for a in articles),
        "gold_direct_fragments": sum(g.direct for a in articles for g in a.gold),
        "anchor_naive_regex": evaluate(articles, (naive_quotes(a.text) for a in articles), 0, "naive"),
        "without_entities": evaluate(articles, predict(articles, None), args.errors, "plain"),
    }
    if not args.no_entities:
        entities, seconds = find_entities(articles)
        run = evaluate(articles, predict(articles, entities), args.errors, "entities")
        run["entity_seconds"] = round(seconds, 2)
        results["with_entities"] = run
    results["machine"] = {
        "processor": platform.processor(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    print(json.dumps(results, indent=2))
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
