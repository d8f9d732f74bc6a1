"""Smoke test of the model writer with a real small model: Gemma 3 270M (Q4_K_M) served by llama.cpp's server
(xllamacpp) in-process on loopback. The model is weak; what is tested is that its brief ends verified and
grounded, and the share of its items that passed is printed (docs/llm.md has the measured figures)."""

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import story_input, text_document
from storyline.records import to_dict
from storyline.synthesize.brief import write_checked_brief
from storyline.synthesize.bundle import StoryInput
from storyline.synthesize.grounding import check_grounding
from storyline.synthesize.writer import ModelWriter, WriterSettings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_model() -> Iterator[str]:
    from storyline.llm.local import LocalModelMissing, serve_gguf

    try:
        server, url = serve_gguf()
    except LocalModelMissing as error:
        pytest.skip(f"the real-model smoke test needs the test dependencies: {error}")
    yield url
    del server


COUNCIL = [
    "Council votes to close Main Street to cars\n\nThe Riverton city council voted 7-2 on Tuesday to close Main "
    "Street to cars from May 1. Mayor Ann Lee said the closure would make the centre safer for children. Shop "
    "owners on the street had collected 1,200 signatures against the plan. The council will review the closure "
    "after six months. Buses will still use the street at night.",
    "Riverton bans cars from Main Street\n\nRiverton's council approved a plan on Tuesday that bans cars from "
    "Main Street starting May 1, by seven votes to two. Mayor Ann Lee welcomed the vote. Opponents, among them "
    "many shop owners, had handed in 1,200 signatures. The ban will be reviewed after six months.",
]


@pytest.fixture(scope="module")
def council_story(extractor: Any, analyzer: Any) -> StoryInput:
    articles = [extractor(text_document(text, f"council{n}.txt")) for n, text in enumerate(COUNCIL)]
    return story_input(articles, analyzer)


def test_a_real_small_model_brief_is_verified_end_to_end(
    local_model: str, council_story: StoryInput, tmp_path: Path, capsys: Any
) -> None:
    seed_story = council_story
    settings = WriterSettings(
        writer="llm", base_url=local_model, model="gemma-3-270m-q4_k_m", cache_dir=str(tmp_path), timeout=300
    )
    writer = ModelWriter(settings)
    brief, problems = write_checked_brief(seed_story, writer=writer)
    writer.close()
    articles = {s.article.id: s.article for s in seed_story.sources}
    assert problems == [] and check_grounding(brief, articles) == []
    report = writer.report
    assert report.failed_calls == 0, "the local model gave no usable JSON answer"
    assert report.proposed > 0
    worded = [i for i in (brief.headline, *brief.summary, *brief.key_points) if i.generated_by != "extractive"]
    assert len(worded) <= report.verified
    assert all(item.verified for item in worded)
    with capsys.disabled():
        sys.stderr.write(f"\n{report.summary()}\n")
        for _, text, reason in report.rejected[:5]:
            sys.stderr.write(f"  rejected ({reason}): {text[:90]!r}\n")
    assert to_dict(brief)["id"] == seed_story.story_id
