"""False alarms met in real multi-source stories (long reports, stories of weeks): two facts that only look
like one, a sentence pattern many sources fill differently, a page's stamp, a figure that grew. Each test has a
twin that the same rule must leave a conflict: the rules remove different facts, not disagreements."""

import dataclasses

from conftest import story_input
from storyline.extract.article import Extractor
from storyline.records import Article, Conflict, Document
from storyline.synthesize.bundle import StoryInput
from storyline.synthesize.conflicts import conflicts_and_updates, find_conflicts


def article(text: str, name: str, extractor: Extractor, published: str | None = None) -> Article:
    found = extractor(Document(name, name, text, "text"))
    return dataclasses.replace(found, published=published) if published else found


def conflicts(texts: list[str], extractor: Extractor, analyzer, published: list[str] | None = None) -> list[Conflict]:  # type: ignore[no-untyped-def]
    return find_conflicts(story(texts, extractor, analyzer, published))


def story(texts: list[str], extractor: Extractor, analyzer, published: list[str] | None = None) -> StoryInput:  # type: ignore[no-untyped-def]
    when: list[str | None] = list(published) if published else [None] * len(texts)
    made = [article(t, f"{i}.txt", extractor, w) for i, (t, w) in enumerate(zip(texts, when, strict=True))]
    return story_input(made, analyzer)


def kinds(found: list[Conflict]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for conflict in found:
        out.setdefault(conflict.kind, set()).update(v.value for v in conflict.values)
    return out


def two_facts_then_one(  # type: ignore[no-untyped-def]
    kind: str,
    apart: list[str],
    twin: list[str],
    expected: set[str],
    extractor: Extractor,
    analyzer,
    apart_when: list[str] | None = None,
    twin_when: list[str] | None = None,
) -> None:
    """`apart` tells two facts: no conflict of `kind`. `twin` tells one fact two ways: a conflict of `kind` between
    exactly the `expected` values (the rule removes different facts, not disagreements)."""
    assert kind not in kinds(conflicts(apart, extractor, analyzer, apart_when))
    assert kinds(conflicts(twin, extractor, analyzer, twin_when)).get(kind) == expected


PLANT = "Shooting At Bakery Plant\n\nA worker opened fire at the bakery plant on Friday, killing two colleagues. {}"


def test_two_people_with_two_figures_are_two_facts(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = PLANT.format(
        "Martha Dorsey has worked at the plant for 37 years and was on the third floor with the victims."
    )
    two = PLANT.format(
        "Andy Ryan, a dough mixer, has worked at the plant for nearly 30 years and was on the third floor."
    )
    assert kinds(conflicts([one, two], extractor, analyzer)) == {}
    # the same worker given two figures: one value changed, the rest agrees
    three = PLANT.format(
        "Martha Dorsey has worked at the plant for 29 years and was on the third floor with the victims."
    )
    assert kinds(conflicts([one, three], extractor, analyzer)) == {"number": {"37 years", "29 years"}}


FIRST_CASE = (
    "Flu Reaches {place}\n\nHealth officials in {place} confirmed the country's first case of the new flu on "
    "Saturday, in a student who had returned from Mexico."
)


def test_a_sentence_pattern_filled_with_three_places_is_no_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    apart = [FIRST_CASE.format(place=p) for p in ("India", "Brazil", "Japan")]
    # two sources agreeing on one place against a third: a disagreement on one fact
    twin = [FIRST_CASE.format(place=p) for p in ("India", "India", "Japan")]
    twin[1] = twin[1].replace("a student", "a young student")  # another report, not the same text twice
    two_facts_then_one("place", apart, twin, {"India", "Japan"}, extractor, analyzer)


STAMPED = (
    "Mexico Shuts Offices\n\nMEXICO CITY | {stamp} 7:30 pm EDT MEXICO CITY (Reuters) - Mexico began shutting down "
    "parts of its economy to slow the spread of a new flu strain as officials urged precautions."
)


def test_a_page_stamp_is_not_a_date_of_the_story(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    texts = [STAMPED.format(stamp="Thu Apr 30, 2009"), STAMPED.format(stamp="Sat May 2, 2009")]
    found = kinds(conflicts(texts, extractor, analyzer))
    assert "date" not in found and "person" not in found


RIOT = "Impeachment Trial Opens\n\nThe second impeachment trial of Donald Trump begins. {}"


def test_dates_of_two_events_in_one_story_are_not_a_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = RIOT.format(
        "He was charged by the House with incitement of insurrection for his role in egging on a violent mob that "
        "stormed the Capitol on Jan. 6."
    )
    two = RIOT.format(
        "The House of Representatives voted on Jan. 13 to impeach Trump for incitement of insurrection with a week "
        "left in his term, charging that he caused the riot that endangered hundreds of lawmakers."
    )
    # the same event given another day by the other source
    three = RIOT.format(
        "He was charged by the House with incitement of insurrection for his role in egging on a violent mob that "
        "stormed the Capitol on Jan. 9."
    )
    two_facts_then_one("date", [one, two], [one, three], {"Jan. 6", "Jan. 9"}, extractor, analyzer)


TOLL = "Flu Deaths In Mexico\n\nHealth officials said {} were confirmed as caused by the new flu in Mexico."


def test_deaths_counted_on_two_days_are_an_update(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    texts = [TOLL.format("16 deaths"), TOLL.format("19 deaths")]
    days = ["2009-05-02T12:00:00+00:00", "2009-05-03T12:00:00+00:00"]
    found, updates = conflicts_and_updates(story(texts, extractor, analyzer, days))
    assert [c for c in found if c.kind == "number"] == []
    assert [u.text for u in updates] == ["updated figure: 16 deaths, then 19 deaths"]


SPREAD = "Flu Spreads\n\nThe World Health Organization said the virus has now been detected in {} around the world."


def test_a_figure_that_only_grew_over_days_is_neither_conflict_nor_update(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    texts = [SPREAD.format("46 countries"), SPREAD.format("64 countries")]
    week = ["2009-05-25T12:00:00+00:00", "2009-06-01T12:00:00+00:00"]
    found, updates = conflicts_and_updates(story(texts, extractor, analyzer, week))
    assert [c for c in found if c.kind == "number"] == [] and updates == []
    # on one day, or shrinking over the week, the two figures disagree
    same_day = ["2009-05-25T09:00:00+00:00", "2009-05-25T15:00:00+00:00"]
    assert kinds(conflicts(texts, extractor, analyzer, same_day)).get("number") == {"46 countries", "64 countries"}
    shrinking = list(reversed(week))
    assert kinds(conflicts(texts, extractor, analyzer, shrinking)).get("number") == {"46 countries", "64 countries"}


CAVE = "Cave Rescue\n\nThe rescue operation in the flooded cave in northern Thailand {}"


def test_a_part_of_a_count_is_not_the_count(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = CAVE.format("was suspended for the night after four more boys were brought out by the divers.")
    two = CAVE.format("resumed on Monday to bring out the remaining eight boys, the divers said.")
    # two counts of one kind disagree: "four more" / "six more"
    three = CAVE.format("was suspended for the night after six more boys were brought out by the divers.")
    two_facts_then_one("number", [one, two], [one, three], {"four more boys", "six more boys"}, extractor, analyzer)


MINISTER = "Flu Measures\n\nHealth Minister {name} said schools would stay closed for another week to slow the virus."


def test_one_title_held_by_two_people_days_apart_is_no_conflict(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    texts = [MINISTER.format(name="Dawn Primarolo"), MINISTER.format(name="Mohammad Khalifeh")]
    weeks = ["2009-04-28T12:00:00+00:00", "2009-05-12T12:00:00+00:00"]
    same_day = ["2009-04-28T09:00:00+00:00", "2009-04-28T18:00:00+00:00"]
    expected = {"Dawn Primarolo", "Mohammad Khalifeh"}
    two_facts_then_one("person", texts, texts, expected, extractor, analyzer, apart_when=weeks, twin_when=same_day)


TRIBUTE = "Jackson Tribute\n\nJanet Jackson will miss the tribute concert in {place} next month, her spokesman said."


def test_two_places_a_source_names_together_are_two_facts(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    two = [TRIBUTE.format(place="Denver"), TRIBUTE.format(place="Houston")]
    third = "Tribute Shows\n\nFans will gather for tribute shows in Houston in June and in Denver in October."
    two_facts_then_one("place", [*two, third], two, {"Denver", "Houston"}, extractor, analyzer)


PATCH = "Emergency Patch\n\nMicrosoft issued an emergency patch for a critical hole in its Internet Explorer on {day}."


def test_two_days_a_source_names_together_are_two_facts_but_two_years_are_not(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    two = [PATCH.format(day="Wednesday"), PATCH.format(day="Tuesday")]
    third = "Patch Promised\n\nMicrosoft promised on Tuesday a fix for the browser, which it shipped on Wednesday."
    two_facts_then_one("date", [*two, third], two, {"Wednesday", "Tuesday"}, extractor, analyzer)
    # one year recurs for many facts of a story: a source naming both years does not settle a dispute of one
    sold = "Oil Fortune\n\nThe family sold its oil field for a reported $30 million in {year}, records show."
    years = [sold.format(year="1967"), sold.format(year="1957")]
    third = "Family Man\n\nHe shot his father in a hunting accident in 1957 and entered politics in 1967."
    assert kinds(conflicts([*years, third], extractor, analyzer)).get("date") == {"1967", "1957"}


PANDEMIC = (
    'Flu Pandemic Near\n\n{before} "We are getting close to knowing that we are in a pandemic situation," {cue} said.'
)


def test_a_quote_both_sources_give_to_he_is_not_disputed(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = PANDEMIC.format(before="Keiji Fukuda of the World Health Organization spoke in Geneva.", cue="he")
    two = PANDEMIC.format(before="Schools in Hong Kong will shut, its chief executive Donald Tsang said.", cue="he")
    named = [
        PANDEMIC.format(before="Officials spoke in Geneva.", cue=name) for name in ("Keiji Fukuda", "Donald Tsang")
    ]
    two_facts_then_one("person", [one, two], named, {"Keiji Fukuda", "Donald Tsang"}, extractor, analyzer)


def test_an_entity_of_calendar_or_title_words_is_no_person() -> None:
    from storyline.synthesize.facts import _no_name

    assert _no_name("Thu Apr") and _no_name("Fri Apr 24") is False  # a day number is no calendar word
    assert _no_name("Field Marshal") and _no_name("Health Minister") and _no_name("Prime Minister")
    assert not _no_name("April Ryan") and not _no_name("May Smith") and not _no_name("Anna Berg")


SENTENCE = "Courthouse Killer Sentenced\n\nAn Atlanta judge sentenced {name} to life in prison on Saturday morning."


def test_a_value_named_with_the_main_one_leaves_the_rest_of_the_dispute(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    texts = [
        SENTENCE.format(name="Brian Nichols"),
        SENTENCE.format(name="Brian Nichols") + " The courthouse stayed closed.",
        SENTENCE.format(name="Jon Stewart"),
        SENTENCE.format(name="James Bodiford") + " Brian Nichols had shot the judge's clerk.",
    ]
    # Bodiford and Nichols are both people of the story (one source names both); Stewart against Nichols stays
    assert kinds(conflicts(texts, extractor, analyzer)).get("person") == {"Brian Nichols", "Jon Stewart"}


OUTAGE = "Cable Cut\n\nAfter the cable cut, {} of internet traffic was down, the operator said on Friday."


def test_two_places_figures_are_two_facts(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    apart = [OUTAGE.format("65 percent in India"), OUTAGE.format("52 percent in Egypt")]
    twin = [OUTAGE.format("65 percent in India"), OUTAGE.format("52 percent in India")]
    two_facts_then_one("number", apart, twin, {"65 percent", "52 percent"}, extractor, analyzer)


PICK = "Colts Win\n\nRatliff intercepted the pass and returned it for a touchdown with {} remaining in the game."


def test_the_minutes_of_a_time_in_minutes_and_seconds_are_no_figure(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    apart = [PICK.format("just under five minutes"), PICK.format("4 minutes 48 seconds")]
    twin = [PICK.format("just under five minutes"), PICK.format("about nine minutes")]
    two_facts_then_one("number", apart, twin, {"five minutes", "about nine minutes"}, extractor, analyzer)


HOST = "Oscar Host\n\nHugh Jackman, star of the romantic epic {}, will host the ceremony in {} next year."


def test_a_place_name_in_quotation_marks_is_a_title_not_a_place(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    apart = [HOST.format('"Australia,"', "Hollywood"), HOST.format('"Chicago,"', "Hollywood")]
    twin = [HOST.format('"Australia,"', "Denver"), HOST.format('"Australia,"', "Houston")]
    two_facts_then_one("place", apart, twin, {"Denver", "Houston"}, extractor, analyzer)


def test_a_short_sentence_sharing_two_words_is_not_one_fact_with_a_long_one(extractor: Extractor, analyzer) -> None:  # type: ignore[no-untyped-def]
    one = (
        "Fire At Dairy\n\nThe chief says Palmer and Anna Berg fire crews responded with ladder trucks to fight "
        "the blaze."
    )
    two = "Board Fired\n\nCarla Moss responded by firing the whole board."
    # the same short sentence, one person changed: one fact, two people
    three = "Board Fired\n\nDora Lind responded by firing the whole board."
    two_facts_then_one("person", [one, two], [two, three], {"Carla Moss", "Dora Lind"}, extractor, analyzer)
