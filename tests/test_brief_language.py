"""`--language` with the extractive writer: the brief prefers the sentences of sources in that language, falls
back to the others where none is, and stays grounded (texts written for this test)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import story_input
from storyline.cli import cli
from storyline.extract.article import Extractor
from storyline.language_tags import primary_code
from storyline.records import Article, Brief, BriefItem, Document
from storyline.synthesize.brief import BriefSettings, write_brief, write_checked_brief
from storyline.synthesize.bundle import StoryInput
from storyline.synthesize.candidates import preferred_sources
from storyline.synthesize.writer import WriterSettings

ENGLISH = """Rotterdam closes the Willemsbrug for 18 months of repairs

ROTTERDAM — The Willemsbrug in Rotterdam will close to all traffic for 18 months from March 3, the city council \
said on Tuesday.
The repairs will cost 240 million euros, about 40 percent more than the city planned in 2022.
Alderman Pieter de Graaf said that 65,000 vehicles cross the bridge every single day.
"We have no choice, the steel is tired," de Graaf told reporters at the city hall.
Ferries run by RET will carry cyclists and pedestrians across the Maas during the works.
Rijkswaterstaat will open a second lane on the Van Brienenoordbrug to take the extra cars.
Shop owners on the Noordereiland fear that they will lose customers while the bridge is shut.
The council expects the bridge to reopen in the autumn of 2027, if the work stays on schedule.
"""

GERMAN = """Rotterdam sperrt die Willemsbrug für 18 Monate wegen Reparaturen

ROTTERDAM — Die Willemsbrug in Rotterdam wird ab dem 3. März für 18 Monate für den gesamten Verkehr gesperrt, \
teilte der Stadtrat am Dienstag mit.
Die Reparatur kostet 240 Millionen Euro, etwa 40 Prozent mehr, als die Stadt im Jahr 2022 geplant hatte.
Der Beigeordnete Pieter de Graaf sagte, dass jeden Tag 65.000 Fahrzeuge die Brücke überqueren.
„Wir haben keine Wahl, der Stahl ist müde“, sagte de Graaf den Reportern im Rathaus.
Fähren von RET bringen Radfahrer und Fußgänger während der Arbeiten über die Maas.
Rijkswaterstaat öffnet eine zweite Spur auf der Van-Brienenoordbrug, um die zusätzlichen Autos aufzunehmen.
Ladenbesitzer auf dem Noordereiland fürchten, dass sie Kunden verlieren, solange die Brücke gesperrt ist.
Der Stadtrat erwartet, dass die Brücke im Herbst 2027 wieder öffnet, wenn die Arbeiten im Zeitplan bleiben.
"""


def extract(text: str, name: str) -> Article:
    return Extractor()(Document("test", name, text, "text"))


@pytest.fixture(scope="module")
def pair() -> tuple[Article, Article]:
    english, german = extract(ENGLISH, "en.txt"), extract(GERMAN, "de.txt")
    assert (english.language, german.language) == ("en", "de")
    return english, german


@pytest.fixture(scope="module")
def story(pair: tuple[Article, Article], analyzer) -> StoryInput:  # type: ignore[no-untyped-def]
    english, german = pair
    # As the clustering stage types a translation: the English text is the original, the German derived from it.
    return story_input([english, german], analyzer, {english.id: "original", german.id: "derivative"})


def brief_in(story: StoryInput, language: str | None) -> Brief:
    settings = BriefSettings(writer=WriterSettings(language=language))
    brief, problems = write_checked_brief(story, settings)
    assert problems == [], problems
    return brief


def sources_of(items: tuple[BriefItem, ...]) -> set[str]:
    return {item.evidence[0].article_id for item in items}


@pytest.mark.parametrize("language, index", [("de", 1), ("en", 0)])
def test_headline_summary_and_key_points_come_from_the_language_asked_for(
    story: StoryInput, pair: tuple[Article, Article], language: str, index: int
) -> None:
    wanted = pair[index]
    brief = brief_in(story, language)
    assert brief.headline.text == wanted.title
    assert brief.headline.evidence[0].article_id == wanted.id
    assert brief.summary and sources_of(brief.summary) == {wanted.id}
    assert brief.key_points and sources_of(brief.key_points) == {wanted.id}
    for item in (brief.headline, *brief.summary, *brief.key_points):
        first = item.evidence[0]
        assert wanted.text[first.start : first.end] == item.text  # the span is exact
    if brief.quotes:
        assert brief.quotes[0].evidence[0].article_id == wanted.id


def test_the_german_brief_is_not_the_default_one(story: StoryInput, pair: tuple[Article, Article]) -> None:
    english, german = pair
    default = write_brief(story)
    assert default.headline.evidence[0].article_id == english.id  # the original's title
    german_brief = brief_in(story, "de")
    assert german_brief.headline.text != default.headline.text
    assert german_brief.summary != default.summary


@pytest.mark.parametrize("language", ["ja", None, "", "EN-gb"])
def test_without_a_source_in_the_language_the_brief_is_the_default_one(
    story: StoryInput, pair: tuple[Article, Article], language: str | None
) -> None:
    default = write_brief(story)
    if language == "EN-gb":  # a region tag and upper case: English is asked for, not Japanese
        assert brief_in(story, language) == brief_in(story, "en")
        return
    assert brief_in(story, language) == default


def test_a_story_all_in_the_language_is_unchanged(pair: tuple[Article, Article], analyzer) -> None:  # type: ignore[no-untyped-def]
    german = story_input([pair[1]], analyzer)
    assert preferred_sources(german, "de") == frozenset()
    assert brief_in(german, "de") == write_brief(german)


def test_items_fall_back_to_other_languages_where_the_preferred_source_has_none(
    pair: tuple[Article, Article], analyzer
) -> None:  # type: ignore[no-untyped-def]
    english, _ = pair
    short = extract("Brücke gesperrt\n\nDie Willemsbrug in Rotterdam bleibt ab März für 18 Monate gesperrt.\n", "k.txt")
    assert short.language == "de"
    story = story_input([english, short], analyzer)
    default, german = write_brief(story), brief_in(story, "de")
    assert german.headline.evidence[0].article_id == short.id
    assert german.summary[0].evidence[0].article_id == short.id
    assert len(german.summary) >= 2 and english.id in sources_of(german.summary)  # the rest from English
    assert len(german.key_points) == len(default.key_points)
    assert len(german.quotes) == len(default.quotes)  # English quotes stay: nothing is dropped
    assert len(german.timeline) >= 1


def test_language_codes() -> None:
    assert [primary_code(c) for c in ("de", "DE", "de-AT", "de_CH", " de ", "", None)] == [
        "de", "de", "de", "de", "de", None, None
    ]  # fmt: skip


def test_cli_brief_and_run_take_language_with_the_extractive_writer(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "de.txt").write_text(GERMAN, encoding="utf-8")
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(folder), "--db", db, "--out", str(tmp_path / "out"), "--silent"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(cli, ["stories", "--db", db, "--json"])
    stories = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(stories) == 1, "the translation joins its original's story"
    story_id = stories[0]["id"]

    def headline(*flags: str) -> str:
        shown = runner.invoke(cli, ["brief", story_id, "--db", db, "--format", "json", *flags])
        assert shown.exit_code == 0, shown.output
        data = json.loads(shown.stdout)
        assert all(s["language"] in ("en", "de") for s in data["sources"])
        return str(data["headline"]["text"])

    english_title, german_title = ENGLISH.split("\n", 1)[0], GERMAN.split("\n", 1)[0]
    default = headline()
    assert default in (english_title, german_title)
    assert headline("--language", "de") == german_title
    assert headline("--language", "en") == english_title
    assert headline("--language", "ja") == default
    assert headline() == default, "a --language view does not replace the stored brief"
    checked = runner.invoke(cli, ["check", "--all", "--db", db])
    assert checked.exit_code == 0, checked.output

    out = tmp_path / "out-de"
    result = runner.invoke(cli, ["run", str(folder), "--db", db, "--out", str(out), "--silent", "--language", "de"])
    assert result.exit_code == 0, result.output
    written = json.loads((out / f"{story_id}.json").read_text(encoding="utf-8"))
    assert written["headline"]["text"] == german_title
    result = runner.invoke(cli, ["run", str(folder), "--db", db, "--out", str(out), "--silent", "--language", "en"])
    assert result.exit_code == 0, result.output
    written = json.loads((out / f"{story_id}.json").read_text(encoding="utf-8"))
    assert written["headline"]["text"] == english_title, "--language rewrites briefs that are not stale"
