"""The gazetteer (synthesize/places.py): which two place names can be one place, from the bundled GeoNames data."""

import gzip
from importlib import resources

import pytest

from storyline.synthesize.places import Gazetteer, bundled, core_words, fold


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return bundled()


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Houston", "Texas"),  # a city in its state
        ("Key Biscayne", "Florida"),  # a town of 13,000 in its state
        ("Malibu", "Los Angeles"),  # about 40 km apart: a loose naming, not a rival place
        ("Brooklyn", "East Flatbush"),  # a borough and a neighbourhood in it
        ("Hawthorne", "Southern California"),  # a compass word: inside the state it qualifies
        ("New York's", "new york"),  # a possessive is the name
        ("Tehran", "Iran"),  # a city in its country
        ("Kansas City", "Kansas"),  # the smaller of two readings still counts (152,000 of 508,000)
        ("Toronto", "Ontario"),  # a city in its province (not the city of Ontario, California)
        ("Munich", "Bavaria"),  # a division outside the US
        ("Banstead", "Surrey"),  # a town in its county (a second-level division; Surrey is also a city in Canada)
        ("Melbourne", "Victoria"),  # the Australian state, not the city in Canada
        ("Houston", "Harris County"),  # a US county
        ("Montreal", "Quebec"),  # a name written without its accents (Montréal)
    ],
)
def test_one_place_held_by_or_beside_another_is_related(gazetteer: Gazetteer, one: str, other: str) -> None:
    assert gazetteer.related(one, other) is True
    assert gazetteer.related(other, one) is True


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Georgia", "Texas"),  # a state (or a country) and another state
        ("Atlanta", "Russia"),
        ("Portland", "Manhattan"),  # every major reading of each is far from every one of the other
        ("Mexico", "New Mexico"),  # one name's words hold the other's, and they are two places
        ("Kenosha", "Berlin"),
        ("Oklahoma", "Houston"),
        ("Ontario", "Quebec"),  # two divisions of one country
        ("Montreal", "Ontario"),
        ("Berlin", "Bavaria"),
    ],
)
def test_places_apart_are_not_related(gazetteer: Gazetteer, one: str, other: str) -> None:
    assert gazetteer.related(one, other) is False


def test_an_unknown_name_gives_no_answer(gazetteer: Gazetteer) -> None:
    assert gazetteer.related("Greenwich Village", "New York") is None
    assert gazetteer.related("the South", "United States") is None  # divisions named South exist, elsewhere
    assert gazetteer.readings("Central") == ()
    assert gazetteer.related("Kimani", "Texas") is None
    assert gazetteer.readings("") == ()


def test_a_minor_reading_of_a_name_is_not_what_the_news_means(gazetteer: Gazetteer) -> None:
    houston = gazetteer.readings("Houston")
    assert [(p.country, p.region) for p in houston] == [("US", "TX")]  # not the towns in Missouri or Scotland
    assert gazetteer.related("Houston", "Missouri") is False


def test_a_country_or_a_state_is_what_a_bare_name_means(gazetteer: Gazetteer) -> None:
    georgia = {(p.kind, p.country) for p in gazetteer.readings("Georgia")}
    assert georgia == {("country", "GE"), ("state", "US")}


def test_names_fold_to_their_words_and_core_words_drop_generic_ones() -> None:
    assert fold("New York's") == "new york"
    assert fold("Washington, D.C.") == "washington"
    assert fold("Montréal") == "montreal" == fold("MONTREAL")
    assert core_words("the Atlantic Ocean") == ("atlantic",) == core_words("North Atlantic")
    assert core_words("Mount Cook National Park") == ("cook",)


def test_the_bundled_data_names_its_source_and_licence() -> None:
    data = resources.files("storyline.synthesize").joinpath("data", "places.tsv.gz").read_bytes()
    head = [line for line in gzip.decompress(data).decode("utf-8").splitlines()[:6] if line.startswith("#")]
    assert "GeoNames" in head[0] and "CC BY 4.0" in head[0]
    assert head[-1].lstrip("# ").split("\t") == [
        "kind",
        "name",
        "country",
        "region",
        "latitude",
        "longitude",
        "population",
        "division",
        "subdivision",
    ]


def test_a_place_named_inside_an_unknown_name_can_make_two_names_one_place(gazetteer: Gazetteer) -> None:
    assert gazetteer.related("the Gilroy Garlic Festival", "San Jose") is None  # the festival is not in the data
    assert gazetteer.related_in_part("the Gilroy Garlic Festival", "San Jose")  # Gilroy is, 45 km from San Jose
    assert not gazetteer.related_in_part("the Gilroy Garlic Festival", "Boston")
    assert not gazetteer.related_in_part("Kimani", "Texas")


@pytest.mark.parametrize(
    ("one", "other", "related"),
    [
        ("Spain", "Europe", True),
        ("Europe", "United Kingdom", True),
        ("Hong Kong", "Asia", True),
        ("Madrid", "Europe", True),
        ("Japan", "Europe", False),
        ("Europe", "Asia", False),
        ("South America", "South America", True),
        ("Europe", "Zqxwvland", None),
    ],
)
def test_a_continent_holds_the_places_of_its_countries(
    gazetteer: Gazetteer, one: str, other: str, related: bool | None
) -> None:
    assert gazetteer.related(one, other) is related


def test_the_continents_name_their_source_and_licence() -> None:
    listed = resources.files("storyline.synthesize").joinpath("data", "continents.tsv").read_text("utf-8")
    assert "GeoNames (CC BY 4.0)" in listed.splitlines()[0]
    assert len([line for line in listed.splitlines() if not line.startswith("#")]) == 7
