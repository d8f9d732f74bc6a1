"""Conflicts, sides, headline, quotes and forecast: on the seeds and on made-up stories."""

from conftest import story_input
from storyline.extract.article import Extractor
from storyline.records import Article, Document
from storyline.synthesize.bundle import StoryInput
from storyline.synthesize.conflicts import find_conflicts
from storyline.synthesize.sides import CentralQuestion, _distinct_actors, find_sides, stance
from storyline.synthesize.sources import brief_sources
from storyline.synthesize.voices import forecasts, headline, story_quotes


def article(text: str, name: str, extractor: Extractor) -> Article:
    return extractor(Document(name, name, text, "text"))


def span_texts(story: StoryInput, evidence: tuple) -> list[str]:  # type: ignore[type-arg]
    texts = {s.article.id: s.article.text for s in story.sources}
    return [texts[e.article_id][e.start : e.end] for e in evidence]


def test_seed_conflicts_on_who_wrote_it_and_on_the_outlet_name(seed_story: StoryInput) -> None:
    conflicts = {c.subject: c for c in find_conflicts(seed_story)}
    authors = {v.value: v for v in conflicts["who made the argument"].values}
    assert {"Kevin Xu", "Nathan Lambert", "Naithan Jones"} <= set(authors)
    for name, value in authors.items():
        assert any(name in text for text in span_texts(seed_story, value.evidence))
    outlets = {v.value for v in conflicts["name of the outlet"].values}
    assert outlets == {"Interconnects", "Interconnected"}


def test_people_quoted_side_by_side_in_one_article_are_not_a_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = article(
        "Bridge Cost Questioned\n\nEngineer Paula Diaz warned that the bridge repair would cost far more than planned. "
        "Mayor Tom Reyes warned that the bridge repair would cost far more than planned as well.",
        "one.txt",
        extractor,
    )
    two = article(
        "Repair Bill Grows\n\nPaula Diaz and Tom Reyes both warned that the bridge repair would cost more"
        " than planned.",
        "two.txt",
        extractor,
    )
    story = story_input([one, two], analyzer)
    assert [c for c in find_conflicts(story) if c.subject == "who made the argument"] == []


def test_different_numbers_for_the_same_quantity_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = article(
        "City Bridge Bill Rises\n\nThe repair cost $84 million in public money, the city said.", "a.txt", extractor
    )
    two = article(
        "Bridge Repair Bill Grows\n\nThe repair cost $96 million in public money, auditors found.", "b.txt", extractor
    )
    story = story_input([one, two], analyzer)
    numbers = [c for c in find_conflicts(story) if c.subject.startswith("number")]
    assert len(numbers) == 1
    assert {v.value for v in numbers[0].values} == {"$84 million", "$96 million"}


def test_seed_sides_put_the_op_ed_authors_against_the_ban(seed_story: StoryInput) -> None:
    sides = {side.label: side for side in find_sides(seed_story, "open source AI")}
    against = next(side for label, side in sides.items() if label.startswith("Against"))
    assert {"Kevin Xu", "Nathan Lambert"} <= set(against.actors)
    in_favour = next(side for label, side in sides.items() if label.startswith("For"))
    assert "Proponents of restriction" in in_favour.actors
    assert all(item.evidence for side in sides.values() for item in side.items)
    for side in sides.values():  # each item names its holder as the side's list does ("The authors", not both)
        listed = {actor.casefold(): actor for actor in side.actors}
        for item in side.items:
            assert item.speaker is None or listed.get(item.speaker.casefold(), item.speaker) == item.speaker
    assert "The authors" in against.actors and "the authors" not in {item.speaker for item in against.items}


def test_stance_reads_the_action_and_the_subject() -> None:
    question = CentralQuestion("ban", True, "banning drones", "drones")
    assert stance("a ban would stifle innovation and hurt farmers", question) == -1
    assert stance("we must ban them now", question, "Supporters of the ban") == 1
    assert stance("drones pose a serious danger to aircraft", question) == 1  # against the subject: for the ban
    assert stance("drones are essential and safe tools", question) == -1
    assert stance("the vote is on Tuesday", question) == 0


def test_no_central_question_means_no_computed_sides(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = article(
        "Quake Hits the Coast\n\nA strong earthquake hit the coast on Monday, officials said.", "q1.txt", extractor
    )
    two = article(
        "Earthquake Strikes Coastal Towns\n\n“It was terrifying,” said resident Ana Lima after the quake.",
        "q2.txt",
        extractor,
    )
    assert find_sides(story_input([one, two], analyzer), "earthquake") == []


def test_headline_quotes_and_forecast_of_the_seeds(seed_story: StoryInput) -> None:
    title = headline(seed_story)
    assert span_texts(seed_story, title.evidence)[0] == title.text
    quotes = story_quotes(seed_story)
    assert any(q.text.startswith("We are afraid future actions") for q in quotes)
    for quote in quotes:
        texts = span_texts(seed_story, quote.evidence)
        assert quote.text in texts
        if quote.speaker:
            assert any(quote.speaker in text for text in texts)
    commerce = next(f for f in forecasts(seed_story) if "Department of Commerce" in f.text)
    assert span_texts(seed_story, commerce.evidence)[0] == commerce.text


def test_sources_list_members_and_the_credited_upstream_op_ed(seed_story: StoryInput) -> None:
    sources = brief_sources(seed_story)
    assert sum(1 for s in sources if s.article_id) == 5
    upstream = next(s for s in sources if s.role == "credited_upstream" and s.outlet == "Interconnected")
    assert upstream.article_id is None and upstream.authors == ("Kevin Xu",)
    assert "first reported by Kevin Xu in Interconnected" in span_texts(seed_story, upstream.evidence)[0]


def test_names_differing_in_completeness_punctuation_or_spelling_agree(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = article(
        "Governor Visits Quake Zone\n\nGovernor George W. Bush visited the flooded town on Monday with two aides.",
        "n1.txt",
        extractor,
    )
    two = article(
        "Quake Zone Visit Today\n\nGovernor George Bush visited the flooded town on Monday with two aides.",
        "n2.txt",
        extractor,
    )
    three = article(
        "Governor Tours Quake Town\n\nGovernor George Bosh visited the flooded town on Monday with two aides.",
        "n3.txt",
        extractor,
    )
    assert find_conflicts(story_input([one, two], analyzer)) == []
    assert find_conflicts(story_input([two, three], analyzer)) == []  # one person's name spelt two ways


def test_a_lower_bound_and_a_count_above_it_agree(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = article(
        "Flood Toll Rises Again\n\nAt least 10 people were killed in the flood, police said.", "f1.txt", extractor
    )
    two = article(
        "Flood Toll Climbs Higher\n\nExactly 14 people were killed in the flood, police said.", "f2.txt", extractor
    )
    three = article(
        "Flood Toll Falls Later\n\nOnly 6 people were killed in the flood, police said.", "f3.txt", extractor
    )
    assert [c for c in find_conflicts(story_input([one, two], analyzer)) if c.subject.startswith("number")] == []
    conflicts = [c for c in find_conflicts(story_input([one, three], analyzer)) if c.subject.startswith("number")]
    assert len(conflicts) == 1


def test_newsroom_filler_is_never_a_brief_line(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    from storyline.synthesize.brief import write_checked_brief
    from storyline.synthesize.candidates import is_noise

    assert is_noise("Officials did not immediately respond to a request for comment.")
    assert is_noise("The ministry couldn't be reached for comment on Sunday.")
    assert is_noise("This story has been updated with new figures.")
    assert not is_noise("The ministry said on Sunday that the bridge would reopen in March.")
    filler = "Officials did not immediately respond to a request for comment."
    one = article(
        "Bridge Reopens\n\nThe city bridge will reopen in March after two years of repairs, the transport "
        f"ministry said on Sunday. {filler} Engineers replaced the main cables and the deck.",
        "f1.txt",
        extractor,
    )
    two = article(
        "City Bridge to Reopen in March\n\nThe bridge closed for two years of repairs will reopen in March, "
        f"according to the transport ministry. {filler} Traffic will return to the bridge in stages.",
        "f2.txt",
        extractor,
    )
    brief, problems = write_checked_brief(story_input([one, two], analyzer))
    items = [brief.headline, *brief.summary, *brief.key_points, *brief.why_it_matters, *brief.explainer]
    assert problems == [] and brief.summary
    assert not any("request for comment" in item.text for item in items)


def test_a_sides_holders_are_listed_once_each() -> None:
    names = ["Critics", "the authors", "Kevin Xu", "The authors", "Critics of potential bans", "critics", "John Smith"]
    assert _distinct_actors(names) == ("Critics of potential bans", "The authors", "Kevin Xu", "John Smith")
    assert _distinct_actors(["Smith", "John Smith"]) == ("Smith", "John Smith")  # a surname is not a prefix
