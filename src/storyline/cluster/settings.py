"""ClusterSettings: every weight, threshold and window of the clustering stage, with one default for all data.

The defaults were chosen once on ECB+ (train+dev) and NeuS (val) together and are used unchanged on both;
docs/clustering.md gives the measurements behind each number.
"""

from dataclasses import dataclass

from storyline.errors import ClusterError

__all__ = ["ClusterSettings"]


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Weights of the pair similarity, the linkage threshold, the time window and the lineage thresholds.

    Pair similarity: `s(a, b) = word_weight * cos(words) + embedding_weight * dot(embedding)
    + number_weight * cos(numbers) + date_weight * cos(dates) + names`, where `names` is
    `name_weight * cos(name keys)` for two English articles, `name_weight_other * cos` for two others and
    `sqrt(name_weight * name_weight_other) * cos` across (features.py, anchors.py), and the embedding dot
    product depends on the two languages the same way (multilingual.py). Local scaling: `q(a, b) = s(a, b) -
    local_scaling * (mu(a) + mu(b)) / 2`, where mu(x) is the mean of x's `local_neighbours` highest
    similarities to other articles. Two groups merge while the mean q over their cross pairs is >=
    `link_threshold` (average linkage); two groups that both hold at least `merge_size` articles need
    `merge_threshold`.
    """

    word_weight: float = 0.5
    embedding_weight: float = 0.3
    number_weight: float = 0.1
    date_weight: float = 0.05
    local_scaling: float = 0.5
    local_neighbours: int = 2
    link_threshold: float = 0.08
    split_margin: float = 0.0  # a story splits below link_threshold - split_margin (> 0 adds hysteresis)
    merge_size: int = 6  # two groups that both hold at least this many articles (two stories) ...
    merge_threshold: float = 0.12  # ... merge only at this mean q (same subject != same story; linkage.py)
    window_days: float = 7.0  # an article can join a story dated within this many days of it
    retire_after_days: float = 14.0  # stories idle this long (vs the newest article) leave the active state
    reopen_similarity: float = 0.35  # centroid cosine above which a dormant story is re-opened for a late article
    follow_similarity: float = 0.6  # centroid cosine above which a new story follows a dormant one
    dormant_candidates: int = 8  # dormant stories looked up per new article
    rehome: bool = True  # an article of an earlier chunk may move to a new article's story (rehome.py)
    rehome_margin: float = 0.02  # ... when its mean q there beats its mean q to the rest of its story by this
    consolidate: bool = True  # at the end of a run, changed stories and their links are grouped again (consolidate.py)
    consolidate_max: int = 1024  # ... in components of at most this many articles
    neighbours: int = 16  # approximate nearest articles looked up per new article
    stories_per_article: int = 4  # at most this many stories (its best links) per new article enter linkage
    chunk_size: int = 1024  # new articles clustered together; larger batches are cut into chunks
    max_split_check: int = 200  # stories larger than this are not re-checked for splits
    copy_containment: float = 0.75  # share of a near-verbatim copy's 5-word shingles found in its origin
    derivative_containment: float = 0.12  # share of an article's shingles found in an earlier one
    num_perm: int = 128
    embedding_lead_chars: int = 1200  # title + this many characters of the text are embedded
    embedder: str = "multilingual"  # or "minilm", "static:PATH", "hybrid:PATH" (PATH: from distill_static_table)
    name_weight: float = 0.0  # name keys (names matched across scripts) between two English articles
    name_weight_other: float = 0.0  # ... between two articles in other languages (across: the geometric mean)
    multilingual_english_share: float = 0.4  # share of USE in English vectors (the rest is MiniLM)
    multilingual_other_weight: float = 1.5  # squared norm of other languages' USE vectors
    multilingual_lead_chars: int = 600  # characters of title + lead that USE reads

    def lexical_weights(self) -> tuple[float, float, float, float, float]:
        """Block weights of the sparse features: words, numbers, dates, English name keys, other name keys."""
        return (self.word_weight, self.number_weight, self.date_weight, self.name_weight, self.name_weight_other)

    def __post_init__(self) -> None:
        weights = (self.word_weight, self.embedding_weight, self.number_weight, self.date_weight)
        if min(self.name_weight, self.name_weight_other) < 0:
            raise ClusterError("name weights must be >= 0")
        if min(weights) < 0 or sum(weights) <= 0:
            raise ClusterError("cluster weights must be >= 0 and not all zero")
        if self.local_neighbours < 1 or self.neighbours < 1 or self.chunk_size < 1 or self.merge_size < 1:
            raise ClusterError("local_neighbours, neighbours, chunk_size and merge_size must be >= 1")
        if self.window_days <= 0 or self.retire_after_days < self.window_days:
            raise ClusterError("window_days must be > 0 and retire_after_days >= window_days")
