"""Fact alignment (synthesize/facts.py): the same fact in two sources with a different value is a conflict of
its kind, with a few words reworded around the value; meaning-keeping edits and different facts are not."""

import pytest

from conftest import story_input
from storyline.extract.article import Extractor
from storyline.records import Article, Conflict, Document
from storyline.synthesize.bundle import StoryInput
from storyline.synthesize.conflicts import find_conflicts
from storyline.synthesize.facts import _DATELINE


def article(text: str, name: str, extractor: Extractor) -> Article:
    return extractor(Document(name, name, text, "text"))


def conflicts_of(one: str, two: str, extractor: Extractor, analyzer) -> tuple[StoryInput, list[Conflict]]:  # type: ignore[no-untyped-def]
    story = story_input([article(one, "one.txt", extractor), article(two, "two.txt", extractor)], analyzer)
    return story, find_conflicts(story)


def of_kind(texts: list[str], kind: str, extractor: Extractor, analyzer) -> tuple[StoryInput, list[Conflict]]:  # type: ignore[no-untyped-def]
    """The story of `texts` (one source each) and its conflicts of `kind`."""
    story = story_input([article(t, f"{i}.txt", extractor) for i, t in enumerate(texts)], analyzer)
    return story, [c for c in find_conflicts(story) if c.kind == kind]


def values(story: StoryInput, conflict: Conflict) -> set[str]:
    """The disputed values, each checked to be written in every span cited for it (its sentence)."""
    texts = {s.article.id: s.article.text for s in story.sources}
    for value in conflict.values:
        assert all(value.value in texts[e.article_id][e.start : e.end] for e in value.evidence)
    return {v.value for v in conflict.values}


FLOOD = (
    "Floods Hit Northern Valley\n\n"
    "Heavy rain swept through the northern valley overnight. {sentence} "
    "Rescue teams worked through the night to reach stranded families, and the regional governor asked for "
    "federal help."
)

CASES = {
    "number": (
        "The floods killed 12 people in the town of Marlow on Tuesday, the regional police chief Anna Berg said.",
        "The floods killed 19 people in the town of Marlow on Tuesday, the regional police chief Anna Berg stated.",
        {"12 people", "19 people"},
    ),
    "person": (
        "The floods killed 12 people in the town of Marlow on Tuesday, the regional police chief Anna Berg said.",
        "The floods killed 12 people in the town of Marlow on Tuesday, regional police chief Carla Moss told "
        "reporters.",
        {"Anna Berg", "Carla Moss"},
    ),
    "date": (
        "The floods killed 12 people in the town of Marlow on Tuesday, the regional police chief Anna Berg said.",
        "The floods killed 12 people in the town of Marlow on Thursday, the regional police chief Anna Berg "
        "reportedly said.",
        {"Tuesday", "Thursday"},
    ),
    "place": (
        "The floods killed 12 people in the town of Marlow on Tuesday, the regional police chief Anna Berg said.",
        "The floods killed 12 people in the town of Denholm on Tuesday, the regional police chief Anna Berg said.",
        {"Marlow", "Denholm"},
    ),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_changed_fact_with_reworded_words_around_it_is_a_conflict_of_its_kind(
    kind: str,
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    first, second, expected = CASES[kind]
    story, found = conflicts_of(FLOOD.format(sentence=first), FLOOD.format(sentence=second), extractor, analyzer)
    mine = [c for c in found if c.kind == kind]
    assert len(mine) == 1, found
    assert values(story, mine[0]) == expected
    assert {e.article_id for v in mine[0].values for e in v.evidence} == {s.article.id for s in story.sources}
    assert 0 < mine[0].confidence <= 1
    assert [c for c in found if c.kind != kind] == []  # the other slots of the sentence agree


CONTROLS = {
    "rounding": (
        "The storm damaged 1,234 homes across the valley, officials said.",
        "The storm damaged about 1,200 homes across the valley, officials said.",
    ),
    "hedge": (
        "The storm damaged 39 homes across the valley, officials said.",
        "The storm damaged nearly 40 homes across the valley, officials said.",
    ),
    "unit": (
        "Insurers expect claims to rise 40 percent across the valley this year, officials said.",
        "Insurers expect claims to rise 40% across the valley this year, officials said.",
    ),
    "scale": (
        "Repairs across the valley will cost $1.2 million, officials said.",
        "Repairs across the valley will cost 1,200,000 dollars, officials said.",
    ),
    "rounded with a scale word": (
        "Repairs across the valley will cost $1.37 billion, officials said.",
        "Repairs across the valley will cost $1.4 billion, officials said.",
    ),
    "shortened name": (
        "Mayor Laura Kent said the storm damaged homes across the valley.",
        "Kent said the storm damaged homes across the valley.",
    ),
    "paraphrase": (
        "The storm damaged 40 homes across the valley on Monday, officials said.",
        "The storm wrecked 40 homes across the valley on Monday, officials stated.",
    ),
    "different things": (
        "The storm killed 10 people across the valley on Monday, officials said.",
        "The storm injured 6 people across the valley on Monday, officials said.",
    ),
    "two participants": (
        "Mayor Laura Kent met Governor Paul Ames in the valley on Monday to discuss the repairs.",
        "Governor Paul Ames met Mayor Laura Kent in the valley on Monday to discuss the repairs.",
    ),
}


@pytest.mark.parametrize("control", sorted(CONTROLS))
def test_edits_that_keep_the_meaning_are_not_conflicts(control: str, extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    first, second = CONTROLS[control]
    intro = "Storm Hits Valley\n\nA late storm crossed the valley this week. "
    _, found = conflicts_of(intro + first, intro + second, extractor, analyzer)
    assert found == []


def test_a_person_named_by_both_sources_is_a_participant_not_a_rival(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = (
        "Talks Resume\n\nNegotiator Ruth Hale led the talks in Geneva on Monday, officials said. "
        "Her deputy Omar Said joined later."
    )
    two = "Talks Resume in Geneva\n\nNegotiator Omar Said led the talks in Geneva on Monday, officials said."
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert [c for c in found if c.kind == "person"] == []


def test_a_disputed_value_is_shown_in_its_sentence_even_far_from_the_start() -> None:
    from storyline.records import ConflictValue, Evidence
    from storyline.render.citations import source_count, words_around

    sentence = (
        "After a long night of searching in the rain, rescue teams said on Wednesday that 19 people died in Marlow."
    )
    shown = words_around(sentence, "19 people", limit=60)
    assert "19 people" in shown and shown.startswith("…") and len(shown) <= 62
    assert words_around("12 people died.", "12 people") == "12 people died."
    value = ConflictValue("19", (Evidence("a", 0, 5), Evidence("b", 0, 5), Evidence("b", 9, 12)))
    assert source_count(value) == "2 sources"


def test_a_number_inside_a_hyphenated_word_is_shown_as_the_word_and_passes_the_checker(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    from storyline.synthesize.brief import write_checked_brief

    one = "Girl Hurt in Albany\n\nA 10-year-old girl was hurt by a stray bullet on an Albany street, police said."
    two = "Albany Shooting\n\nA 12-year-old girl was hurt by a stray bullet on an Albany street, police said on Friday."
    story, found = conflicts_of(one, two, extractor, analyzer)
    numbers = [c for c in found if c.kind == "number"]
    assert len(numbers) == 1 and values(story, numbers[0]) == {"10-year-old", "12-year-old"}
    brief, problems = write_checked_brief(story)
    assert brief.conflicts and problems == []


def _dated(text: str, name: str, published: str, extractor: Extractor) -> Article:
    import dataclasses

    return dataclasses.replace(article(text, name, extractor), published=published)


@pytest.mark.parametrize(
    ("first_time", "second_time", "update"),
    [
        ("2026-03-01T08:00:00+00:00", "2026-03-02T09:00:00+00:00", True),  # the later report has the larger toll
        ("2026-03-02T09:00:00+00:00", "2026-03-01T08:00:00+00:00", False),  # the later report has the smaller one
        ("2026-03-01T08:00:00+00:00", "2026-03-01T08:30:00+00:00", False),  # published together: a disagreement
    ],
)
def test_a_rising_toll_in_a_later_report_is_an_update_on_the_timeline_not_a_conflict(
    first_time: str,
    second_time: str,
    update: bool,
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    from storyline.synthesize.brief import write_checked_brief

    one = _dated(FLOOD.format(sentence=CASES["number"][0]), "one.txt", first_time, extractor)
    two = _dated(FLOOD.format(sentence=CASES["number"][1]), "two.txt", second_time, extractor)
    story = story_input([one, two], analyzer)
    numbers = [c for c in find_conflicts(story) if c.kind == "number"]
    brief, problems = write_checked_brief(story)
    updates = [item for item in brief.timeline if item.text.startswith("updated figure")]
    assert problems == []
    if update:
        assert numbers == [] and len(updates) == 1
        assert updates[0].text == "updated figure: 12 people, then 19 people" and updates[0].date == "2026-03-02"
        assert {e.article_id for e in updates[0].evidence} == {one.id, two.id}
    else:
        assert len(numbers) == 1 and updates == []


@pytest.mark.parametrize(
    ("second_time", "update"),
    [
        ("2026-03-02T09:00:00+00:00", True),  # a day later: the toll as it grew
        ("2026-03-01T08:30:00+00:00", False),  # published together: two counts of two things, not one disputed
    ],
)
def test_figures_an_order_apart_are_an_update_or_nothing_never_a_conflict(
    second_time: str,
    update: bool,
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    """ "25 points" / "2,290 points" in two sentences worded alike are two facts (a game, a career), and a toll
    that grew from 12 to 150 over a day is an update; versions of one figure differ by a factor, not by orders."""
    from storyline.synthesize.brief import write_checked_brief

    one = _dated(FLOOD.format(sentence=CASES["number"][0]), "one.txt", "2026-03-01T08:00:00+00:00", extractor)
    larger = CASES["number"][1].replace("19 people", "150 people")
    two = _dated(FLOOD.format(sentence=larger), "two.txt", second_time, extractor)
    story = story_input([one, two], analyzer)
    brief, problems = write_checked_brief(story)
    updates = [item.text for item in brief.timeline if item.text.startswith("updated figure")]
    assert problems == [] and [c for c in find_conflicts(story) if c.kind == "number"] == []
    assert updates == (["updated figure: 12 people, then 150 people"] if update else [])


def test_a_count_reported_three_times_as_it_grew_is_one_update(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    """Cases of an outbreak counted on three days: one developing figure with its three steps, no conflict."""
    from storyline.synthesize.brief import write_checked_brief

    reports = [
        ("2009-05-01T08:00:00+00:00", "50 cases"),
        ("2009-05-02T08:00:00+00:00", "60 cases"),
        ("2009-05-03T08:00:00+00:00", "64 cases"),
    ]
    articles = [
        _dated(
            f"School outbreak\n\nThe outbreak at Welford Primary School in Birmingham is now linked to {count} of "
            "the virus, health officials said.",
            f"{i}.txt",
            when,
            extractor,
        )
        for i, (when, count) in enumerate(reports)
    ]
    story = story_input(articles, analyzer)
    brief, problems = write_checked_brief(story)
    updates = [item.text for item in brief.timeline if item.text.startswith("updated figure")]
    assert problems == [] and [c for c in find_conflicts(story) if c.kind == "number"] == []
    assert updates == ["updated figure: 50 cases, then 60 cases, then 64 cases"]


def test_two_people_given_one_title_by_two_sources_conflict_even_in_different_words(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    one = (
        "Floods Hit Northern Valley\n\nRegional police chief Anna Berg said rescue teams had reached every "
        "stranded family by midnight."
    )
    two = (
        "Valley Floods Leave Towns Cut Off\n\nThe water rose quickly overnight, and police chief Carla Moss asked "
        "residents to stay off the roads until the river falls."
    )
    story, found = conflicts_of(one, two, extractor, analyzer)
    people = [c for c in found if c.kind == "person"]
    assert len(people) == 1 and values(story, people[0]) == {"Anna Berg", "Carla Moss"}


def test_different_titles_are_different_roles(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = "Senate Trial Opens\n\nFormer President Donald Trump knew the riot would be violent, managers argued."
    two = "Trial Hears of Threats\n\nRioters hunted Vice President Mike Pence through the Capitol, managers said."
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert [c for c in found if c.kind == "person"] == []


def test_two_countries_ministers_are_two_roles(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = "Talks in Cairo\n\nEgyptian Foreign Minister Ahmed Aboul Gheit told reporters the talks would go on."
    two = "Talks go on\n\nJordanian Foreign Minister Nasser Judeh told reporters the talks would go on."
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert [c for c in found if c.kind == "person"] == []


def test_transcript_speakers_are_turns_not_people_in_a_role(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    """A television transcript names who speaks next in capitals ("WOLF BLITZER, CNN ANCHOR:"): two transcripts
    with two anchors do not disagree on who anchors."""
    one = "Crisis in Egypt\n\nWOLF BLITZER, CNN ANCHOR: Good evening and welcome to our coverage tonight."
    two = "Egypt tonight\n\nANDERSON COOPER, CNN ANCHOR: Good evening and welcome to our coverage tonight."
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert [c for c in found if c.kind == "person"] == []


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("7 November 2011 Last updated at 21:40 GMT Help", True),
        ("Page last updated at 05:27 GMT, Tuesday, 27 September 2011", True),
        ("Interview With the Ambassador Aired February 6, 2011 - 10:00 ET THIS IS A RUSH TRANSCRIPT.", True),
        ("I sincerely hope not! January 27, 2011 at 7:59 pm | Report abuse |", True),
        ("The quake struck at 05:27 GMT on Tuesday, 27 September 2011, officials said.", False),
        ("The study, published on 27 September 2011, found no link.", False),
    ],
)
def test_a_page_stamp_is_not_the_date_of_an_event(line: str, stamp: bool) -> None:
    from storyline.synthesize.facts import page_stamp

    start = next(
        line.find(d) for d in ("7 November", "Tuesday", "February 6", "January 27", "27 September") if d in line
    )
    assert page_stamp(line, start, start + 10) is stamp


def test_pages_updated_on_two_days_do_not_disagree(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = (
        "Doctor found guilty\n\n7 November 2011 Last updated at 21:40 GMT Michael Jackson's doctor has been "
        "found guilty of involuntary manslaughter by a jury in Los Angeles."
    )
    two = (
        "Jackson family in court\n\n8 November 2011 Last updated at 11:01 GMT Michael Jackson's doctor has been "
        "found guilty of involuntary manslaughter by a jury in Los Angeles."
    )
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert [c for c in found if c.kind == "date"] == []


@pytest.mark.parametrize(
    ("first_published", "conflict"),
    [
        ("2011-02-10T09:00:00+00:00", False),  # written on Thursday: it could not tell of Friday's resignation
        ("2011-02-12T09:00:00+00:00", True),  # written on Saturday: both days had passed, the sources disagree
    ],
)
def test_a_source_published_before_the_other_day_tells_an_earlier_step(
    first_published: str,
    conflict: bool,
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    one = _dated(
        "Mubarak stays\n\nEgyptian President Hosni Mubarak met his ministers in Cairo on Wednesday, state "
        "television said.",
        "one.txt",
        first_published,
        extractor,
    )
    two = _dated(
        "Mubarak goes\n\nEgyptian President Hosni Mubarak met his ministers in Cairo on Friday, state television said.",
        "two.txt",
        "2011-02-12T10:00:00+00:00",
        extractor,
    )
    story = story_input([one, two], analyzer)
    dates = [c for c in find_conflicts(story) if c.kind == "date"]
    assert len(dates) == (1 if conflict else 0)


def test_people_in_a_broadcast_transcript_are_not_compared(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    """In a transcript the anchor brings in one guest after another: who talks, not who holds a role, so two
    transcripts that bring in two guests in the same words do not disagree. The same two sentences in two
    reports do."""
    turns = "BLITZER: Welcome back. SNOW: Thank you, Wolf. BLITZER: Next, the latest from Cairo. "
    said = (
        "joining us now is the former ambassador {}, who met the president in the capital on Tuesday and urged "
        "a quick transition."
    )
    names = ("Frank Wisner", "Edward Walker")
    one, two = (f"Situation Room\n\n{turns}BLITZER: And {said.format(name)}" for name in names)
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert [c for c in found if c.kind == "person"] == []
    one, two = (f"Envoy in Cairo\n\nThe envoy said on Monday that {said.format(name)}" for name in names)
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert len([c for c in found if c.kind == "person"]) == 1


@pytest.mark.parametrize(("rank", "conflict"), [("former ", False), ("", True)])
def test_a_former_holder_is_no_rival_of_the_holder(
    rank: str,
    conflict: bool,
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    one = (
        f"Warning on Egypt\n\nOn CNN tonight, {rank}U.S. Defense Secretary William Cohen warned that Egypt will face "
        "a leadership vacuum."
    )
    two = (
        "Calls to Cairo\n\nDefense Secretary Robert Gates spent part of his weekend on the phone with his counterparts."
    )
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert len([c for c in found if c.kind == "person"]) == (1 if conflict else 0)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Page last updated at 07:02 GMT, Friday, 16 September 2011 08:02 UK Jermaine Jackson explained", True),
        ("Fergus Walsh | 08:17 UK time, Tuesday, 30 June 2009", True),
        ("The concert in the UK was called off at 8 pm.", False),
    ],
)
def test_a_place_after_a_clock_time_is_its_time_zone(text: str, zone: bool) -> None:
    from storyline.synthesize.facts import _zone

    assert _zone(text, text.index("UK")) is zone


def test_the_tally_puts_the_most_stated_value_first() -> None:
    from storyline.records import ConflictValue, Evidence
    from storyline.render.citations import tally

    one = ConflictValue("June 1998", (Evidence("a", 0, 5),))
    many = ConflictValue("June 1999", (Evidence("b", 0, 5), Evidence("c", 0, 5)))
    assert tally((one, many)) == "2 sources: June 1999 · 1 source: June 1998"


def test_a_title_ending_a_quote_is_not_the_speakers_title(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = "Senate Race\n\n“The dealmaker may emerge here if he gets to be president,” Lindsey Graham said on Monday."
    two = "Campaign Trail\n\nPresident Barack Obama painted the nominee as an out-of-touch plutocrat in 2012."
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert [c for c in found if c.kind == "person"] == []


def test_one_number_in_two_grouping_conventions_is_not_a_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = "Hospitales\n\nLos hospitales atienden a más de 2.000 pacientes en estado grave, según el ministerio."
    two = "Crisis sanitaria\n\nLos hospitales atienden a más de 2,000 pacientes en estado grave, según el ministerio."
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert [c for c in found if c.kind == "number"] == []


def test_one_count_in_differently_worded_sentences_is_a_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    """The general alignment needs most of the wording shared; a number followed by the same noun ("jobs") in
    sentences sharing a few words is compared too."""
    one = (
        "US adds robust 440,000 jobs\n\nUS employers added 440,000 jobs in October as pay growth picked up, "
        "the Labor Department said on Friday."
    )
    two = (
        "Hiring beats forecasts\n\nUS employers added a better-than-expected 250,000 jobs in October, soaring "
        "past expectations before the midterm elections."
    )
    story, found = conflicts_of(one, two, extractor, analyzer)
    numbers = [c for c in found if c.kind == "number"]
    assert numbers and {"440,000 jobs", "250,000 jobs"} <= {v for c in numbers for v in values(story, c)}


def test_two_forecasts_of_one_count_are_not_a_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = "Jobs report due\n\nEconomists surveyed by Dow Jones had been looking for 845,000 new jobs in July."
    two = "Jobs report ahead\n\nAnalysts surveyed by Refinitiv were expecting 870,000 jobs in July."
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert [c for c in found if c.kind == "number"] == []


def test_one_quote_given_to_two_people_is_a_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = (
        'Bridge to be rebuilt\n\n"We will rebuild the bridge before the winter comes to the valley," '
        "Anna Berg said on Monday."
    )
    two = (
        'Valley bridge plans\n\n"We will rebuild the bridge before winter comes to the valley," said Carla Moss, '
        "speaking to reporters."
    )
    story, found = conflicts_of(one, two, extractor, analyzer)
    said = [c for c in found if c.subject == "who said it"]
    assert len(said) == 1 and {v.value for v in said[0].values} == {"Anna Berg", "Carla Moss"}
    texts = {s.article.id: s.article.text for s in story.sources}
    for value in said[0].values:  # the name's mention and the quote itself
        cited = [texts[e.article_id][e.start : e.end] for e in value.evidence]
        assert value.value in cited and any("rebuild the bridge" in span for span in cited)
    assert said[0].kind == "person"


def test_a_lowercase_word_before_a_title_is_not_part_of_it(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = "Strike plan\n\nThe strike plan drew sharp criticism, and Democrats warned President Donald Trump."
    two = "Preparations\n\nPresident Rick Bright this week stepped up preparations to counter the challenges."
    story, found = conflicts_of(one, two, extractor, analyzer)
    people = [c for c in found if c.kind == "person"]
    assert len(people) == 1 and values(story, people[0]) == {"Donald Trump", "Rick Bright"}


def test_a_head_coach_and_a_coach_are_two_roles(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = "Rebels win\n\nMississippi played amid controversy, as head coach Andy Kennedy denied the charges."
    two = "Record night\n\nOfficials stopped the game so coach Roy Williams could present the game ball."
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert [c for c in found if c.kind == "person"] == []


GOVERNOR = {
    "a": "{place} runoff: Republicans pick governor candidate\n\n{place} Republicans will decide Tuesday on their "
    "nominee for governor in a race shaped by secret tapes.",
    "b": "Trump endorsement looms over {place} race\n\nVoters in {place} on Tuesday will choose the party's nominee "
    "in a two-man faceoff for governor.",
    "c": "Secret tapes scramble the race\n\nRepublican voters in {place} choose a nominee for governor on Tuesday "
    "after a late endorsement.",
}


def _three(places: tuple[str, str, str], extractor: Extractor, analyzer) -> tuple[StoryInput, list[Conflict]]:  # type: ignore[no-untyped-def]
    texts = [GOVERNOR[k].format(place=p) for k, p in zip("abc", places, strict=True)]
    story = story_input([article(t, f"{k}.txt", extractor) for k, t in zip("abc", texts, strict=True)], analyzer)
    return story, find_conflicts(story)


def test_the_odd_place_out_in_one_lead_is_a_place_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    story, found = _three(("Georgia", "Georgia", "Texas"), extractor, analyzer)
    places = [c for c in found if c.kind == "place"]
    assert len(places) == 1 and values(story, places[0]) == {"Georgia", "Texas"}
    counts = {v.value: len({e.article_id for e in v.evidence}) for v in places[0].values}
    assert counts == {"Georgia": 2, "Texas": 1}  # one disputed slot: both sources of Georgia in one conflict


def test_the_odd_place_out_is_found_without_a_place_word_before_it_when_the_places_are_apart(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    texts = [
        "Georgia governor lifts state mask mandate\n\nThe governor said on Tuesday that businesses may fully reopen.",
        "Texas governor ends mask mandate\n\nTexas Gov. Greg Abbott said on Tuesday that businesses may reopen.",
        "Abbott ends mandate\n\nIn Texas, the governor said businesses may fully reopen next week.",
    ]
    story, places = of_kind(texts, "place", extractor, analyzer)
    assert len(places) == 1 and values(story, places[0]) == {"Georgia", "Texas"}
    texts[0] = texts[0].replace("Georgia", "Houston")  # a city in the state the others name: not a rival
    assert of_kind(texts, "place", extractor, analyzer)[1] == []


def _dateline_place(sentence: str) -> str | None:
    match = _DATELINE.match(sentence)
    return match.group(1) if match else None


def test_two_datelines_are_where_two_reports_were_filed_not_a_conflict(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    lead = "Candidates meet again\n\n{dateline} (AP) — Ten candidates meet on the debate stage on Tuesday night."
    texts = [
        lead.format(dateline="COLUMBIA, S.C."),
        lead.format(dateline="WASHINGTON"),
        lead.format(dateline="WASHINGTON").replace("Tuesday night", "Tuesday night in Atlanta"),
    ]
    assert of_kind(texts, "place", extractor, analyzer)[1] == []
    assert _dateline_place("US - China trade talks resume on Monday.") is None  # a headline, not a dateline
    texts[0] = texts[0].replace("COLUMBIA, S.C. (AP) — Ten", "Ten").replace("night.", "night in Miami.")
    story, places = of_kind(texts, "place", extractor, analyzer)  # where the debate is held: still compared
    assert len(places) == 1 and values(story, places[0]) == {"Atlanta", "Miami"}


def test_one_place_in_its_abbreviation_is_not_a_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    _, found = _three(("Georgia", "Ga.", "GA"), extractor, analyzer)
    assert [c for c in found if c.kind == "place"] == []


def test_one_place_named_by_every_source_is_not_a_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    _, found = _three(("Georgia", "Georgia", "Georgia"), extractor, analyzer)
    assert [c for c in found if c.kind == "place"] == []


# Three sources' leads, one giving another date than the two others.
ODD_DATE_OUT = {
    # each source's title and lead repeat the story's words: the index must not drop them all as too common
    "a_short_story_aligns_sentences_whose_words_every_statement_repeats": (
        [
            "Biden signs orders on gender policy council\n\nPresident Joe Biden will sign two executive orders on "
            "Monday establishing the White House Gender Policy Council.",
            "Biden executive order creates gender policy council\n\nPresident Biden will sign an executive order on "
            "Saturday establishing the Gender Policy Council within the White House.",
            "President Biden order sets up gender policy council\n\nPresident Biden will sign the executive order "
            "establishing the Gender Policy Council in the White House, aides said.",
        ],
        {"Monday", "Saturday"},
    ),
    # no word beside the date in common with the others: the lead's three shared words carry it
    "the_odd_date_out_in_leads_sharing_several_words_is_a_date_conflict": (
        [
            "Ginsburg Dies at 87\n\nSupreme Court Justice Ruth Bader Ginsburg died Friday of complications from "
            "metastatic pancreatic cancer, the court announced.",
            "Justice Ginsburg Has Died\n\nRuth Bader Ginsburg, who served 27 years on the Supreme Court, passed "
            "away Friday at age 87 from cancer.",
            "A Pioneer Remembered\n\nJustice Ruth Bader Ginsburg of the Supreme Court was mourned across the "
            "country after she was lost on Sunday, her family said.",
        ],
        {"Friday", "Sunday"},
    ),
}


@pytest.mark.parametrize("case", sorted(ODD_DATE_OUT))
def test_the_odd_date_out(case: str, extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    texts, expected = ODD_DATE_OUT[case]
    story, dates = of_kind(texts, "date", extractor, analyzer)
    assert len(dates) == 1 and values(story, dates[0]) == expected


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Monday", "weekday"),
        ("early Wednesday", "weekday"),
        ("Sept. 18", "day"),
        ("March 2000", "month"),
        ("2021", "year"),
        ("last month", None),
        ("a week before", None),
        ("the day after", None),
    ],
)
def test_dates_are_compared_only_with_dates_written_alike(text: str, form: str | None) -> None:
    from storyline.synthesize.facts import date_form

    assert date_form(text) == form


def test_a_date_beside_a_name_spelt_two_ways_is_a_date_conflict_and_the_spelling_is_none(
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    one = (
        "Kim Holds Off On Guam\n\nNorth Korean state radio on Tuesday announced that leader Kim Jung Un planned to "
        "hold off launching missiles at Guam."
    )
    two = (
        "Kim Backs Down\n\nNorth Korean state radio on Monday announced that leader Kim Jong Un planned to hold "
        "off launching missiles at Guam."
    )
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert {c.kind for c in found} == {"date"}


@pytest.mark.parametrize(
    ("one", "two", "alike"),
    [
        ("Vincent DelGiudice", "Vincent Del Giudice", True),
        ("Vincent DelGiudice", "Vincent DelGiudici", True),
        ("Volodymyr Zelensky", "Volodymyr Zelenskiy", True),
        ("Kurbanguly Berdymukhamedov", "Gurbanguly Berdymukhamedov", True),
        ("Scott Walker", "Donald Trump", False),
        ("Anna Berg", "Carla Moss", False),
    ],
)
def test_one_name_spelt_two_ways_is_one_person(one: str, two: str, alike: bool) -> None:
    from storyline.synthesize.facts import name_words, spelt_alike

    assert spelt_alike(name_words(one), name_words(two)) is alike


def test_a_person_is_never_compared_with_a_place(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = FLOOD.format(sentence="Agent Scott Boras said the offer came from the club in Marlow on Tuesday.")
    two = FLOOD.format(sentence="The offer came from the club in Las Vegas on Tuesday, agent Tom Reyes said.")
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert not any({v.value for v in c.values} & {"Scott Boras", "Tom Reyes"} and c.kind == "place" for c in found)


def test_an_office_named_after_its_county_is_not_a_place(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    from storyline.synthesize.facts import statements

    one = FLOOD.format(sentence="The chase ended after 15 minutes, Genesee County Sheriff Robert Pickell said.")
    two = FLOOD.format(sentence="The chase ended after 15 minutes, Genesee County Undersheriff James Gage said.")
    story, _ = conflicts_of(one, two, extractor, analyzer)
    places = {slot.text for s in statements(story) for slot in s.slots if slot.kind == "place"}
    assert not any(p.endswith(("Sheriff", "Undersheriff")) for p in places)


def test_a_name_after_of_or_from_is_a_person_not_a_place(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    from storyline.synthesize.facts import statements

    one = FLOOD.format(sentence="The money came from Richardson, the oil tycoon, and a friend of Baca, the sheriff.")
    story = story_input([article(one, "one.txt", extractor)], analyzer)
    places = {slot.text for s in statements(story) for slot in s.slots if slot.kind == "place"}
    assert not places & {"Richardson", "Baca"}


def test_ages_in_reports_years_apart_are_not_a_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    one = "Suspect Sought\n\nDeputies identified the suspect as Jose Luis Orozco, 27, a parolee wanted in another case."
    two = "Verdict Reached\n\nThe jury found Jose Luis Orozco, 29, guilty of first-degree murder on Tuesday."
    first = replace(article(one, "one.txt", extractor), published="2005-08-10T12:00:00+00:00")
    second = replace(article(two, "two.txt", extractor), published="2007-06-01T12:00:00+00:00")
    assert [c for c in find_conflicts(story_input([first, second], analyzer)) if c.kind == "number"] == []
    same_week = replace(second, published="2005-08-14T12:00:00+00:00")
    numbers = [c for c in find_conflicts(story_input([first, same_week], analyzer)) if c.kind == "number"]
    assert len(numbers) == 1


# Two sources, one kind: the values the conflict of that kind opposes, or set() for none.
TWO_SOURCES = {
    "one_person_given_two_ages_is_a_number_conflict": (
        "Actress Enters Rehab\n\nTara Reid, 33, has entered a treatment center in Malibu, her publicist said.",
        (
            "Reid Checks Into Clinic\n\nThe actress, who starred in several comedies, is in rehab. Reid, 35, was "
            "seen there."
        ),
        "number",
        {"35", "33"},
    ),
    "a_source_giving_one_person_two_ages_is_not_a_conflict": (
        "Actress Enters Rehab\n\nTara Reid, 33, has entered a treatment center in Malibu, her publicist said.",
        (
            "Actress Seen At Clinic\n\nThe actress Tara Reid, 17, was first photographed at a premiere in 1993. "
            "Tara Reid, 35, was seen at the clinic on Friday."
        ),
        "number",
        set(),
    ),
    "ages_of_a_named_person_written_as_year_old": (
        "Climber Dies On Ridge\n\nOn Friday, 36-year-old Duncan Raite died after falling from a ridge.",
        "Second Climber Found\n\nRescuers said 38-year-old Duncan Raite died after slipping on the ice.",
        "number",
        {"38-year-old", "36-year-old"},
    ),
    "a_relative_date_and_a_calendar_date_are_not_a_conflict": (
        "Gun Checks Hit Record\n\nThe FBI carried out a record number of background checks on buyers last month.",
        "Checks Soar\n\nThe FBI carried out a record number of background checks on buyers in March 2020.",
        "date",
        set(),
    ),
    "a_bare_number_in_one_sentence_worded_alike_is_a_conflict": (
        "Bulldogs Fall\n\nRichard Carter scored 14 points and Seth VanDeest scored 13 for the ninth-seeded Bulldogs.",
        "Bulldogs Lose\n\nRichard Carter scored 14 points and Seth VanDeest scored 30 for the ninth-seeded Bulldogs.",
        "number",
        {"30", "13"},
    ),
    "a_place_in_a_list_is_not_the_place_of_the_fact": (
        (
            "Cables Cut\n\nInternet links between Europe, the Middle East and Asia were disrupted on Friday "
            "after undersea cables were damaged."
        ),
        "Outage Spreads\n\nInternet links in Yemen were disrupted on Friday after undersea cables were damaged.",
        "place",
        set(),
    ),
    "two_lists_of_places_that_share_a_member_are_compared": (
        "Primaries Roll On\n\nThe primary season roars through Wisconsin and Minnesota on Tuesday, officials said.",
        "Primaries Roll On\n\nThe primary season roars through Iowa and Minnesota on Tuesday, officials said.",
        "place",
        {"Wisconsin", "Iowa"},
    ),
    "numbers_written_in_words_are_compared": (
        "Courthouse Rampage\n\nThe former player went on a rampage at a courthouse in 2005, killing six people.",
        "Life Sentence\n\nThe man who killed four people in a brazen courthouse escape was sentenced to life.",
        "number",
        {"six people", "four people"},
    ),
    "a_city_and_the_state_it_is_in_are_not_a_conflict": (
        "Plant Explodes\n\nTwo explosions rocked a flooded chemical plant in Texas on Thursday, officials said.",
        "Blasts at Plant\n\nTwo explosions rocked a flooded chemical plant in Houston on Thursday, officials said.",
        "place",
        set(),
    ),
    "two_towns_a_few_miles_apart_are_not_a_conflict": (
        "Actress in Rehab\n\nThe actress has entered the Promises Treatment Center in Malibu, her publicist said.",
        "Actress in Rehab\n\nThe actress has entered the Promises Treatment Center in Los Angeles, her publicist said.",
        "place",
        set(),
    ),
    "a_street_spelt_two_ways_is_one_street": (
        "Fire Kills Two\n\nThe fire began at a stove in the Independence Street apartment, officials said.",
        "Two Die in Fire\n\nThe fire began at a stove in the Independent Street apartment, officials said.",
        "place",
        set(),
    ),
    "the_mideast_is_the_middle_east": (
        "Cables Cut\n\nInternet services were disrupted across the Middle East on Friday, officials said.",
        "Cables Cut\n\nInternet services were disrupted across the Mideast on Friday, officials said.",
        "place",
        set(),
    ),
    "two_places_far_apart_in_one_sentence_frame_are_a_conflict": (
        "Plant Explodes\n\nTwo explosions rocked a flooded chemical plant in Houston on Thursday, officials said.",
        "Blasts at Plant\n\nTwo explosions rocked a flooded chemical plant in Atlanta on Thursday, officials said.",
        "place",
        {"Houston", "Atlanta"},
    ),
    "a_number_both_sources_give_is_not_a_rival_of_another_with_or_without_its_unit": (
        # "of the 338" states "338 seats": 338 is in both, so it is not the other value of 156 or of 157
        "Liberals Win\n\nThe Liberals took 156 seats of the 338 in the House of Commons, officials said.",
        "Liberals Win\n\nThe Liberals had won 157 of 338 seats in the House of Commons, officials said.",
        "number",
        set(),
    ),
    "two_people_given_one_single_holder_title_conflict": (
        "Report Released\n\nThe report by special counsel Robert Mueller found no criminal conspiracy.",
        "Lawmakers React\n\nLawmakers read the findings of special counsel James Comey on Friday.",
        "person",
        {"Robert Mueller", "James Comey"},
    ),
    "a_title_written_two_ways_is_one_title": (
        "Committee Meets\n\nThe briefing was led by Chairman Adam Schiff, aides said.",
        "Panel Briefed\n\nMembers heard from committee chair Devin Nunes before the vote.",
        "person",
        {"Adam Schiff", "Devin Nunes"},
    ),
    "a_surname_of_two_words_is_the_full_name_given_an_age": (
        "Mafia Boss Dies\n\nGaetano Lo Presti, 52, was found dead in Pagliarelli prison hours after his arrest.",
        "Suspect Hangs Himself\n\nPolice in Palermo said Lo Presti, 94, hanged himself in his cell on Tuesday.",
        "number",
        {"52", "94"},
    ),
    "two_german_reports_sharing_only_function_words_are_two_facts": (
        "Polizeibericht aus Mitte\n\nNach Angaben der Polizei wurde die 24-jährige Frau in der Nacht in der Nähe "
        "des Bahnhofs von einem Mann angegriffen und verletzt.",
        "Polizeibericht aus Pankow\n\nNach Angaben der Polizei wurde der 31-jährige Radfahrer am Morgen in der "
        "Nähe der Schule von einem Auto erfasst und verletzt.",
        "number",
        set(),
    ),
    "a_state_or_the_capital_and_the_united_states_are_not_a_conflict": (
        "Open Models Under Threat\n\nNew AI regulations in Washington threaten to ban open-source AI development.",
        "A Ban Is Proposed\n\nNew AI regulations in the U.S. threaten to ban open-source AI development.",
        "place",
        set(),
    ),
}


@pytest.mark.parametrize("case", sorted(TWO_SOURCES))
def test_two_sources(case: str, extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one, two, kind, expected = TWO_SOURCES[case]
    story, found = conflicts_of(one, two, extractor, analyzer)
    of_kind = [c for c in found if c.kind == kind]
    if expected:
        assert len(of_kind) == 1 and values(story, of_kind[0]) == expected
    else:
        assert of_kind == []


@pytest.mark.parametrize(
    ("night", "early", "later"),
    [
        (
            "A federal judge in Marlow blocked the new travel rules late Tuesday, the court said.",
            "A federal judge in Marlow blocked the new travel rules early Wednesday, the court said.",
            "A federal judge in Marlow blocked the new travel rules on Thursday, the court said.",
        ),
        (  # the night word beside the day, not in the date itself
            "Crowds marched through Marlow for a third night Tuesday, the police said.",
            "Crowds marched through Marlow for a third night until early Wednesday, the police said.",
            "Crowds marched through Marlow for a third night on Thursday, the police said.",
        ),
    ],
)
def test_a_night_and_early_the_next_day_are_one_night(
    night: str,
    early: str,
    later: str,
    extractor: Extractor,
    analyzer,  # type: ignore[no-untyped-def]
) -> None:
    _, found = conflicts_of(FLOOD.format(sentence=night), FLOOD.format(sentence=early), extractor, analyzer)
    assert not [c for c in found if c.kind == "date"]
    _, found = conflicts_of(FLOOD.format(sentence=night), FLOOD.format(sentence=later), extractor, analyzer)
    assert [c.kind for c in found] == ["date"]


def test_a_road_is_not_a_rival_of_the_town_it_runs_through(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = FLOOD.format(sentence="Police stopped the driver for speeding down Route 94 early Sunday, the patrol said.")
    two = FLOOD.format(sentence="Police stopped the driver for speeding in San Diego early Sunday, the patrol said.")
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert not [c for c in found if c.kind == "place"]


def test_a_credential_after_a_name_is_not_a_state(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    from storyline.synthesize.facts import statements

    one = FLOOD.format(sentence="The board praised Regina Benjamin, MD, for her work in Marlow.")
    story = story_input([article(one, "one.txt", extractor)], analyzer)
    places = {slot.text for s in statements(story) for slot in s.slots if slot.kind == "place"}
    assert "MD" not in places


def test_a_sentence_that_names_the_day_before_knows_that_day(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = FLOOD.format(sentence="The White House defended the retweet in Marlow on Monday, a day after it was posted.")
    two = FLOOD.format(sentence="The White House defended the retweet in Marlow on Sunday, after it was posted.")
    _, found = conflicts_of(one, two, extractor, analyzer)
    assert not [c for c in found if c.kind == "date"]
    three = FLOOD.format(
        sentence="The White House defended the retweet in Marlow on Friday, a day after it was posted."
    )
    _, found = conflicts_of(one, three, extractor, analyzer)
    assert [c.kind for c in found] == ["date"]  # three days apart: still a disagreement


def test_one_date_said_more_or_less_fully_is_one_value_under_its_shortest_writing() -> None:
    from storyline.records import Evidence
    from storyline.synthesize.conflicts import _dates_said_alike

    spans = {
        label: [Evidence(label, 0, 1)] for label in ("Wednesday", "Sunday, February 1, 2009", "early Sunday", "Sunday")
    }
    merged = _dates_said_alike(spans)
    assert list(merged) == ["Wednesday", "Sunday"]
    assert {e.article_id for e in merged["Sunday"]} == {"Sunday", "early Sunday", "Sunday, February 1, 2009"}


def test_a_weekday_and_the_full_date_of_that_weekday_are_not_a_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    # republished years later: "Tuesday" resolves against the publication date, the full date does not
    one = "Case Pending\n\nThe City Attorney's office said the case had not been submitted as of Tuesday."
    two = (
        "Case Pending\n\nAccording to the City Attorney's office, Williams' case had not been submitted as of "
        "Tuesday, February 3, 2009."
    )
    sources = [
        _dated(one, "one.txt", "2022-06-01T03:21:06+00:00", extractor),
        _dated(two, "two.txt", "2022-06-01T18:04:20+00:00", extractor),
    ]
    assert [c for c in find_conflicts(story_input(sources, analyzer)) if c.kind == "date"] == []


def test_a_figure_rounded_with_a_scale_word_agrees_but_a_changed_one_does_not(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    cost = "Storm Hits Valley\n\nRepairs across the valley will cost ${} billion, officials said."
    for rounded, exact, disputed in (
        ("1.4", "1.37", False),
        ("2", "2.04", False),
        ("2", "3", True),
        ("1.4", "1.2", True),
    ):
        _, found = conflicts_of(cost.format(rounded), cost.format(exact), extractor, analyzer)
        assert bool([c for c in found if c.kind == "number"]) == disputed, (rounded, exact)


def test_a_year_is_given_by_a_source_that_names_a_month_of_it(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = (
        "Escaped inmate caught\n\nComeaux was given two extra life sentences after being convicted for stabbing his "
        "wife and another person in 1999 while she visited him in prison."
    )
    two = (
        "Inmate recaptured\n\nBetween 1991 and 1998, Comeaux was in and out of prison on parole violations until he "
        "finally returned to prison in June 1999 to serve a life sentence."
    )
    assert of_kind([one, two], "date", extractor, analyzer)[1] == []  # "June 1999" gives 1999: not 1999 / 1991
    story, dates = of_kind([one, two.replace("June 1999", "June 2001")], "date", extractor, analyzer)
    assert len(dates) == 1 and values(story, dates[0]) == {"1999", "1991"}  # as before when it does not


@pytest.mark.parametrize(
    ("text", "place", "filed"),
    [
        ("RABAT, June 12 (Reuters) - Morocco has confirmed its first case.", "RABAT", True),
        ("NEW YORK | Mon May 18, 2009 4:02 pm EDT A school principal died.", "NEW YORK", True),
        ("COLUMBIA, S.C. (AP) — The governor signed the bill.", "COLUMBIA", True),
        ("The summit in Paris (AP) - a file photo - ended early.", "Paris", False),
        ("LONDON swine flu cases rose by 95 on Friday.", "LONDON", False),
    ],
)
def test_a_datelines_place_in_capitals_is_where_the_report_was_filed(text: str, place: str, filed: bool) -> None:
    from storyline.synthesize.facts import filed_from

    start = text.index(place)
    assert filed_from(text, start, start + len(place)) is filed


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            "NEW YORK | Mon May 18, 2009 4:02 pm EDT The school principal who died of swine flu was buried.",
            "LONDON | Tue May 19, 2009 7:24 pm EDT The school principal who died of swine flu was buried.",
        ),
        (
            "Tourists wore masks. People wear masks as they walk down the street in Osaka May 15, 2009.",
            "Tourists wore masks. People wear masks as they walk down the street in Taipei May 22, 2009.",
        ),
        (
            "World leaders pressed him. Turkey's prime minister called on Mubarak to step aside without delay.",
            "World leaders pressed him. Britain's prime minister called on Mubarak to step aside without delay.",
        ),
    ],
)
def test_a_place_that_says_where_a_report_was_filed_or_whose_office_is_no_place_of_an_event(  # type: ignore[no-untyped-def]
    one: str, two: str, extractor: Extractor, analyzer
) -> None:
    _, found = conflicts_of(f"Pressure\n\n{one}", f"Pressure grows\n\n{two}", extractor, analyzer)
    assert [c for c in found if c.kind == "place"] == []


@pytest.mark.parametrize(
    ("text", "place", "holder"),
    [
        ("Senators John Kerry, D-Massachusetts, and John McCain, R-Arizona, spoke.", "Arizona", True),
        ("Peru's health minister Oscar Ugarte said the case was mild.", "Peru", True),
        ("Turkey's first case of swine flu is in hospital.", "Turkey", False),
        ("The R. Arizona ranch was sold.", "Arizona", False),
    ],
)
def test_a_place_that_says_whose_office_follows_or_a_lawmakers_state_is_a_holder(
    text: str, place: str, holder: bool
) -> None:
    from storyline.records import Entity
    from storyline.synthesize.facts import _of_holder

    start = text.index(place)
    entity = Entity(place, "GPE", start, start + len(place), place)
    assert _of_holder(text, entity) is holder


@pytest.mark.parametrize(
    ("text", "name", "credit"),
    [
        ("(Reporting by Bob Burgdorfer in Chicago, Editing by Sandra Maler)", "Sandra", True),
        ("(Reporting by Lucy Hornby; Editing by Sanjeev Miglani)", "Sanjeev", True),
        ("January 27, 2011 | By Tim Lister and Emily Smith, CNN", "Emily", True),
        ("The man was stopped by Ahmed Shafiq's guards.", "Ahmed", False),
        ("He left. By Monday Ahmed Shafiq had resigned.", "Ahmed", False),
        ("The talks, by Foreign Minister Ahmed Aboul Gheit, ended early.", "Ahmed", False),
        ("(By " + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 3 + " in Cairo) Ahmed Shafiq spoke.", "Ahmed", False),
    ],
)
def test_a_name_in_a_byline_or_credit_line_is_who_wrote_the_piece(text: str, name: str, credit: bool) -> None:
    from storyline.synthesize.facts import credited

    assert credited(text, text.index(name)) is credit


@pytest.mark.parametrize(
    ("one", "two"),
    [
        (
            "China confirmed 40 new cases of the H1N1 flu on Friday, the health ministry said. Schools in Beijing "
            "were closed. (Reporting by Lucy Hornby; Editing by Sanjeev Miglani) An ultra-low latency "
            "infrastructure for electronic trading and data distribution is offered here.",
            "Health officials in China reported 40 new cases of H1N1 flu on Friday. Travellers from Mexico were "
            "screened. (Reporting by Ben Blanchard; Editing by Peter Cooney) An ultra-low latency infrastructure "
            "for electronic trading and data distribution is offered here.",
        ),
        (
            "Thousands of protesters demanded on Tuesday the dismissal of Interior Minister Habib Al-Adli, whose "
            "police fired tear gas.",
            "On Tuesday, crowds in Cairo called for the sacking of Interior Minister Habib Adly, blamed for the "
            "police violence.",
        ),
    ],
)
def test_reporters_and_editors_of_two_reports_and_one_name_in_two_transliterations_are_no_conflict(  # type: ignore[no-untyped-def]
    one: str, two: str, extractor: Extractor, analyzer
) -> None:
    _, found = conflicts_of(f"Cases\n\n{one}", f"Cases rise\n\n{two}", extractor, analyzer)
    assert [c for c in found if c.kind == "person"] == []
