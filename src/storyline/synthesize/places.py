"""Which places can be one place: a gazetteer for comparing the places two sources give for one fact.

Two sources that name "Houston" and "Texas", "Hawthorne" and "Southern California", or "Malibu" and "Los
Angeles" for one event do not disagree: one place holds the other, or the two are a few miles apart and an
outlet named the better-known one. `Gazetteer.related` says so from GeoNames data (data/places.tsv.gz, built
by scripts/build_places.py: every country, every US state, the first- and second-level divisions of every
country (Ontario, Bavaria, Surrey, Harris County), every populated place of 5,000 people or more, with the
divisions it lies in; data/continents.tsv: the countries of each continent, so "Spain" lies in "Europe").

A name has all the readings the data gives it ("Athens": Greece, Georgia, Ohio ...), less the ones much
smaller than its largest (`MINOR_SHARE`): a bare "Houston" in the news is the city in Texas, not the town in
Missouri. Two names are related when some reading of one is, or holds, or lies within `NEAR_KM` of, some
reading of the other; a place named with a compass word ("Southern California", "northern Iraq") is inside
the place it qualifies. A name the data does not know gives no answer (None), and the caller decides.
"""

import functools
import gzip
import math
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

__all__ = ["MINOR_SHARE", "NEAR_KM", "Gazetteer", "Place", "bundled", "core_words", "fold"]

NEAR_KM = 50.0  # "Malibu" / "Los Angeles" (about 40 km), "a plant outside Houston": one place, loosely named
MINOR_SHARE = 0.05  # readings with under 5 % of the largest reading's population are not what the news means
_QUALIFIERS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
     "northeastern", "northwest", "northwestern", "southeast", "southeastern", "southwest", "southwestern",
     "upstate", "downstate", "downtown", "greater", "metro", "coastal", "rural", "the"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Place:
    """One reading of a name: a country, a US state, a division (first-level, outside the US: Ontario, Bavaria,
    England), a subdivision (second-level: Surrey, Harris County) or a populated place."""

    kind: str  # "country", "state", "division", "subdivision" or "place"
    country: str  # ISO 3166 code
    region: str  # first-level division code (a US state's postal code); "" for a country or a division
    latitude: float | None
    longitude: float | None
    population: int
    division: str = ""  # the first-level division it lies in (its own name for a state or a division); "" unknown
    subdivision: str = ""  # the second-level division it lies in (its own name for a subdivision); "" unknown


class Gazetteer:
    """Place readings by name, looked up by `fold(name)`."""

    def __init__(self, rows: dict[str, list[str]], continents: dict[str, frozenset[str]] | None = None) -> None:
        self._rows = rows  # folded name -> its data lines, parsed on first lookup
        self._parsed: dict[str, tuple[Place, ...]] = {}
        self._continents = continents or {}  # folded continent name -> the ISO codes of its countries

    @classmethod
    def load(cls) -> "Gazetteer":
        """The bundled data (data/places.tsv.gz)."""
        rows: dict[str, list[str]] = {}
        data = resources.files("storyline.synthesize").joinpath("data", "places.tsv.gz").read_bytes()
        for line in gzip.decompress(data).decode("utf-8").splitlines():
            if line and not line.startswith("#"):
                name = line.split("\t", 2)[1]
                rows.setdefault(fold(name), []).append(line)
        rows.pop("", None)
        continents = {}
        listed = resources.files("storyline.synthesize").joinpath("data", "continents.tsv").read_text("utf-8")
        for line in listed.splitlines():
            if line and not line.startswith("#"):
                _, name, countries = line.split("\t")
                continents[fold(name)] = frozenset(countries.split())
        return cls(rows, continents)

    def readings(self, name: str) -> tuple[Place, ...]:
        """The readings of a name, the minor ones left out; () when the data does not know it."""
        key = fold(name)
        if all(word in _GENERIC for word in key.split()):
            return ()  # "the South", "Central": a part of whatever place the story is about, not a division's name
        if key not in self._parsed:
            self._parsed[key] = _major(tuple(_place(line) for line in self._rows.get(key, ())))
        return self._parsed[key]

    def related(self, one: str, other: str) -> bool | None:
        """Whether two place names can be one place (the same, one inside the other, or near each other); None
        when either is unknown to the data."""
        if fold(one) in self._continents or fold(other) in self._continents:
            return self._on_continent(one, other)
        first, second = self._resolve(one), self._resolve(other)
        if not first or not second:
            return None
        return any(_related(a, b) for a in first for b in second)

    def _on_continent(self, one: str, other: str) -> bool | None:
        """A continent and a place: whether some reading of the place lies in one of the continent's countries
        ("Spain" / "Europe"); two continents: whether they are one."""
        first, second = self._continents.get(fold(one)), self._continents.get(fold(other))
        if first is not None and second is not None:
            return first == second
        members, name = (first, other) if first is not None else (second, one)
        assert members is not None
        readings = self._resolve(name)
        return any(place.country in members for place in readings) if readings else None

    def related_in_part(self, one: str, other: str) -> bool:
        """Whether some place named inside each name (a run of its words the data knows: "Gilroy" in "the Gilroy
        Garlic Festival") can be one place with some place named inside the other. Only ever a reason to call
        two names one place: a part of a name is weak evidence that two places are apart."""
        first, second = self._parts(one), self._parts(other)
        return any(_related(a, b) for a in first for b in second)

    def _parts(self, name: str) -> tuple[Place, ...]:
        whole = self._resolve(name)
        if whole:
            return whole
        words = fold(name).split()
        found: list[Place] = []
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                part = words[start : start + size]
                if all(word in _GENERIC for word in part):
                    continue
                found.extend(self.readings(" ".join(part)))
            if found:
                break  # the longest parts the data knows
        return tuple(found)

    def _resolve(self, name: str) -> tuple[Place, ...]:
        """The readings of a name, or of what is left after its qualifying words ("southern california")."""
        readings = self.readings(name)
        words = fold(name).split()
        while not readings and len(words) > 1 and words[0] in _QUALIFIERS:
            words = words[1:]
            readings = self.readings(" ".join(words))
        return readings


_WORD = re.compile(r"[^\W\d_]+")


def fold(name: str) -> str:
    """A name as its lower-case words of two letters or more, without accents: "New York's" and "new york" are one
    name, and "Montreal" is "Montréal"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
    return " ".join(word for word in _WORD.findall(plain) if len(word) > 1)


def _place(line: str) -> Place:
    kind, _, country, region, latitude, longitude, population, division, subdivision = line.split("\t")
    return Place(
        kind,
        country,
        region,
        float(latitude) if latitude else None,
        float(longitude) if longitude else None,
        int(population),
        division,
        subdivision,
    )


_SOVEREIGN = frozenset({"country", "state"})  # what a bare name means when it can be one ("Georgia", "Texas")


def _major(readings: tuple[Place, ...]) -> tuple[Place, ...]:
    if len(readings) < 2:
        return readings
    if any(place.kind in _SOVEREIGN for place in readings):  # a country or a US state is what a bare name means
        return tuple(place for place in readings if place.kind in _SOVEREIGN)
    # divisions compete with places by their people: "Ontario" is the province, not the city in California
    largest = max(place.population for place in readings)
    return tuple(place for place in readings if place.population >= MINOR_SHARE * largest)


def _related(one: Place, other: Place) -> bool:
    if one.country != other.country:
        return False
    if one.kind == "country" or other.kind == "country":
        return True  # one country, or a place in it
    if one.kind == "state" or other.kind == "state":
        return one.region == other.region  # one state, or a place in it
    if one.kind == "division" or other.kind == "division":
        # one division, or what lies in it; a place whose division the data lacks may lie in it
        return not one.division or not other.division or one.division == other.division
    if one.kind == "subdivision" or other.kind == "subdivision":
        inside = (one.division, one.subdivision) == (other.division, other.subdivision)
        return inside or not one.subdivision or not other.subdivision or _km(one, other) <= NEAR_KM
    return _km(one, other) <= NEAR_KM


def _km(one: Place, other: Place) -> float:
    """Great-circle distance (haversine)."""
    assert one.latitude is not None and one.longitude is not None
    assert other.latitude is not None and other.longitude is not None
    lat1, lat2 = math.radians(one.latitude), math.radians(other.latitude)
    dlat, dlon = lat2 - lat1, math.radians(other.longitude - one.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


# Words that say what kind of place a name is, or which part of it, not which place it is
_GENERIC = _QUALIFIERS | frozenset(
    {"ocean", "sea", "river", "lake", "bay", "gulf", "coast", "island", "islands", "mount", "mt", "mountain",
     "mountains", "national", "park", "valley", "county", "city", "state", "province", "region", "district",
     "area", "neighborhood", "neighbourhood"}
)  # fmt: skip


def core_words(name: str) -> tuple[str, ...]:
    """A place name's words less the generic ones, for names the data does not know: "North Atlantic" and "the
    Atlantic Ocean" are both "atlantic", "Aoraki Mount Cook" and "Mount Cook National Park" share "cook"."""
    return tuple(word for word in fold(name).split() if word not in _GENERIC)


@functools.lru_cache(maxsize=1)
def bundled() -> Gazetteer:
    """The bundled gazetteer, loaded once per process (about 0.3 s, on the first place compared)."""
    return Gazetteer.load()
