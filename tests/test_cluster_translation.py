"""A translation joins its original's story and is shown as derived from it; another outlet's own report in
the same language as the translation is not (texts written for this test)."""

import dataclasses

import pytest

from storyline.cluster import ClusterSettings, Embedder, cluster_articles
from storyline.extract.article import Extractor
from storyline.records import Article, Document

pytestmark = pytest.mark.slow

ENGLISH = """Harbour bridge in Rotterdam to close for 18 months

ROTTERDAM — The Willemsbrug in Rotterdam will close to traffic for 18 months from March 3, the city council \
said on Tuesday. The repairs will cost 240 million euros, about 40 percent more than planned in 2022. Alderman \
Pieter de Graaf said 65,000 vehicles cross the bridge every day. "We have no choice," de Graaf said. Ferries run \
by RET will carry cyclists across the Maas during the works, and Rijkswaterstaat will open a second lane on the \
Van Brienenoordbrug."""

GERMAN = """Hafenbrücke in Rotterdam wird 18 Monate gesperrt

ROTTERDAM — Die Willemsbrug in Rotterdam wird ab dem 3. März für 18 Monate für den Verkehr gesperrt, teilte der \
Stadtrat am Dienstag mit. Die Reparatur kostet 240 Millionen Euro, etwa 40 Prozent mehr als 2022 geplant. \
Beigeordneter Pieter de Graaf sagte, täglich überquerten 65.000 Fahrzeuge die Brücke. „Wir haben keine Wahl", \
sagte de Graaf. Fähren von RET bringen Radfahrer während der Arbeiten über die Maas, und Rijkswaterstaat öffnet \
eine zweite Spur auf der Van-Brienenoordbrug."""

GERMAN_OWN = """Pendler fürchten Stau: Willemsbrug monatelang dicht

Wer morgens aus dem Süden nach Rotterdam pendelt, muss sich auf lange Umwege einstellen. Nach Angaben der \
Gemeinde bleibt die Willemsbrug ab März gesperrt; Händler an der Maasboulevard rechnen mit weniger Kundschaft. \
Die Unternehmerin Sandra Visser, die am Noordereiland ein Café betreibt, sagte: „Das trifft uns hart.“ Der \
Automobilclub ANWB rät, auf die Bahn umzusteigen, und erwartet zu Spitzenzeiten bis zu 30 Minuten Verzögerung \
auf der A16."""


def article(text: str, path: str, published: str) -> Article:
    extracted = Extractor()(Document("test", path, text, "text"))
    return dataclasses.replace(extracted, published=published)


def test_a_translation_is_derived_from_its_original_and_a_report_of_its_own_is_not() -> None:
    english = article(ENGLISH, "en.txt", "2026-02-10T08:00:00+00:00")
    german = article(GERMAN, "de.txt", "2026-02-10T15:00:00+00:00")
    own = article(GERMAN_OWN, "own.txt", "2026-02-10T18:00:00+00:00")
    assert (english.language, german.language, own.language) == ("en", "de", "de")
    settings = ClusterSettings()
    result = cluster_articles(
        [(english, None), (german, None), (own, None)], None, settings, Embedder.default(settings)
    )
    members = {m.article_id: m for s in result.stories for m in s.members}
    story_of = result.state.assigned
    assert story_of[german.id] == story_of[english.id]
    assert members[english.id].role == "original"
    translated = members[german.id]
    assert (translated.role, translated.derived_from) == ("derivative", (english.id,))
    assert translated.basis.startswith(f"a de translation of {english.id} (en): multilingual sentence-vector cosine")
    assert members[own.id].role in ("independent", "original")
