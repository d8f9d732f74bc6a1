"""Synthetic news streams shaped like real ones: many small stories over months or years, each told by a few
outlets in different words, with dates out of order, undated items and re-sent duplicates.

Every story is one made-up event (a person, a place, an organisation, numbers and an event kind drawn at
random); its articles share those facts but not their sentences. Nothing here is copied from a real text.
"""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from storyline.cluster import ClusterSettings, ClusterState, Embedder, cluster_articles
from storyline.extract.article import article_id
from storyline.records import Analysis, Article, Story, StoryEvent

__all__ = ["NOW", "Saved", "StreamArticle", "bcubed_f1", "make_stream", "static_embedder"]

NOW = "2026-12-01T00:00:00+00:00"

FIRST = (
    "Amara Boris Celia Dmitri Elena Farid Greta Hugo Ines Jonas Kiri Lars Mina Nadia Omar Petra Quentin Rosa".split()
)
FIRST += "Sanjay Tove Umar Vera Wim Xena Yusuf Zofia Anton Bianca Carlos Dara Emil Fiona Goran Hanna Ivo Jana".split()
LAST = "Okafor Lindqvist Moreau Petrov Haddad Novak Tanaka Ferreira Kowalski Brennan Castillo Dimitrou Eriksen".split()
LAST += "Fontaine Gallagher Hoffmann Ibarra Jankovic Kaplan Lorenz Mbeki Nakamura Oduya Pereira Quist Rahman".split()
PLACES = "Arden Belmora Caskill Dunmore Elstow Farrowdale Glenhaven Harrowgate Ilford Juniper Kestrel Lowmoor".split()
PLACES += "Marchbank Northwick Oakridge Pennington Quarrybridge Redhill Saltmarsh Thornbury Upton Valebrook".split()
ORGS = [
    "Harbour Authority",
    "Water Board",
    "Transit Union",
    "Medical Council",
    "Port Commission",
    "Grain Cooperative",
    "Teachers Federation",
    "Rail Company",
    "Energy Regulator",
    "Housing Trust",
    "Fisheries Office",
    "Airport Group",
]
EVENTS = [
    ("strike", "workers walked off the job", "the strike", "pay"),
    ("flood", "floodwater swept through", "the flooding", "evacuations"),
    ("fire", "a fire tore through a warehouse in", "the blaze", "damage"),
    ("election", "voters chose a new mayor in", "the vote", "turnout"),
    ("merger", "two firms agreed to merge in", "the deal", "jobs"),
    ("outbreak", "health officials reported an outbreak in", "the outbreak", "cases"),
    ("bridge", "a bridge collapsed in", "the collapse", "repairs"),
    ("protest", "thousands marched through", "the protest", "arrests"),
]
OUTLETS = ["Daily Ledger", "Evening Courier", "Metro Wire", "Coastal Post", "Valley Herald", "Newsline"]


@dataclass(frozen=True, slots=True)
class StreamArticle:
    article: Article
    story: int  # the made-up event it reports (the gold story)


def _sentences(rng: random.Random, facts: dict[str, str], variant: int) -> list[str]:
    f = facts
    pool = [
        f"{f['place']} — {f['what']} {f['place']} on {f['weekday']}, {f['org']} officials said.",
        f"{f['person']}, who speaks for the {f['org']}, said {f['count']} people were affected by {f['noun']}.",
        f"According to {f['person']}, {f['noun']} in {f['place']} could cost {f['money']} million in {f['topic']}.",
        f"The {f['org']} said it would meet on {f['weekday']} to discuss {f['topic']} after {f['noun']}.",
        f"Residents of {f['place']} told reporters that {f['noun']} was the worst in {f['years']} years.",
        f"{f['other']}, a local councillor, criticised the {f['org']} over its handling of {f['noun']}.",
        f"Figures from the {f['org']} put the number affected at {f['count']}, with {f['topic']} still unclear.",
        f"{f['person']} told the {f['outlet_hint']} that {f['noun']} in {f['place']} was being investigated.",
    ]
    rng.shuffle(pool)
    return pool[: 4 + variant % 3]


def make_stream(
    stories: int,
    per_story: int = 3,
    span_days: int = 365,
    seed: int = 0,
    undated_share: float = 0.0,
    start: dt.date = dt.date(2023, 1, 2),
) -> list[StreamArticle]:
    """`stories` events spread evenly over `span_days`, `per_story` articles each within three days."""
    rng = random.Random(seed)
    out = []
    for number in range(stories):
        kind, what, noun, topic = EVENTS[number % len(EVENTS)]
        facts = {
            "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "other": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "place": f"{rng.choice(PLACES)}{rng.choice(['', ' Bay', ' Heights', ' Falls', ' Cross'])}",
            "org": f"{rng.choice(PLACES)} {rng.choice(ORGS)}",
            "what": what,
            "noun": noun,
            "topic": topic,
            "weekday": rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]),
            "count": f"{rng.randint(12, 9800):,}",
            "money": str(rng.randint(2, 480)),
            "years": str(rng.randint(5, 60)),
            "outlet_hint": rng.choice(OUTLETS),
        }
        day = start + dt.timedelta(days=span_days * number / max(stories, 1))
        for index in range(per_story):
            sentences = _sentences(rng, facts, index)
            title = f"{facts['place']} {kind}: {facts['person']} of {facts['org']} speaks"
            if index:
                title = f"{facts['noun'].capitalize()} in {facts['place']} hits {facts['count']} ({OUTLETS[index]})"
            text = title + "\n\n" + " ".join(sentences)
            when = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(hours=rng.randint(0, 60))
            published = None if rng.random() < undated_share else when.isoformat() + "+00:00"
            outlet = OUTLETS[(number + index) % len(OUTLETS)]
            article = Article(article_id(text), text, title, outlet=outlet, published=published, language="en")
            out.append(StreamArticle(article, number))
    return out


def bcubed_f1(left: dict[str, str], right: dict[str, str]) -> float:
    """B-cubed F1 between two partitions of the same items (item -> cluster label)."""
    items = sorted(left)
    pairs = [(left[i], right[i]) for i in items]
    sizes_left: dict[str, int] = {}
    sizes_right: dict[str, int] = {}
    both: dict[tuple[str, str], int] = {}
    for a, b in pairs:
        sizes_left[a] = sizes_left.get(a, 0) + 1
        sizes_right[b] = sizes_right.get(b, 0) + 1
        both[(a, b)] = both.get((a, b), 0) + 1
    precision = sum(both[p] / sizes_left[p[0]] for p in pairs) / len(pairs)
    recall = sum(both[p] / sizes_right[p[1]] for p in pairs) / len(pairs)
    return 2 * precision * recall / (precision + recall)


def static_embedder(path: Path) -> Embedder:
    """A small random static embedder (no model files): enough for clustering tests that rest on the words."""
    np.save(path, np.random.default_rng(0).normal(size=(30522, 32)).astype(np.float16))
    return Embedder.static(path)


class Saved:
    """What the store would hold after each `cluster_articles` run: every story's latest record, the events,
    the state, and the articles to load back when a dormant story re-opens."""

    def __init__(self, articles: Sequence[Article], settings: ClusterSettings | None = None) -> None:
        self.by_id = {a.id: a for a in articles}
        self.settings = settings or ClusterSettings()
        self.stories: dict[str, Story] = {}
        self.events: list[StoryEvent] = []
        self.state: ClusterState | None = None

    def load(self, ids: Sequence[str]) -> list[tuple[Article, Analysis | None]]:
        return [(self.by_id[i], None) for i in ids]

    def run(self, batch: Sequence[Article], embedder: Embedder, received: str | None = None) -> None:
        """Cluster a batch; `received` (ISO time) is when the store got it, the clustering time of undated ones."""
        pairs: list[tuple[Article, Analysis | None]] = [(a, None) for a in batch]
        times = {a.id: received for a in batch} if received else None
        result = cluster_articles(pairs, self.state, self.settings, embedder, NOW, times, self.load)
        self.stories.update({story.id: story for story in result.stories})
        for story_id in result.removed:
            self.stories.pop(story_id, None)
        self.events += result.events
        self.state = result.state

    def partition(self) -> dict[str, str]:
        """article id -> story id over the saved stories; an article in two stories fails the test."""
        out: dict[str, str] = {}
        for story in self.stories.values():
            for member in story.members:
                assert member.article_id not in out, f"{member.article_id} is in two stories"
                out[member.article_id] = story.id
        return out


def shuffled_batches(
    articles: Sequence[Article], settings: ClusterSettings, embedder: Embedder, size: int, seed: int = 3
) -> Saved:
    """The articles shuffled with `seed` and clustered `size` at a time, each batch received a minute later."""
    shuffled = list(articles)
    random.Random(seed).shuffle(shuffled)
    saved = Saved(articles, settings)
    for number, start in enumerate(range(0, len(shuffled), size)):
        saved.run(shuffled[start : start + size], embedder, f"2026-12-01T00:{number:02d}:00+00:00")
    return saved
