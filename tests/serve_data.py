"""Hand-written stories and briefs for the web tests: written through the store like the pipeline would.

`write_demo(store)` stores four stories that exercise the UI: a full brief with conflicts, lineage, a
timeline and two languages; an article whose every field carries script payloads; a story with no brief yet;
and a brief in Japanese with missing metadata. `write_seed_story(store, articles)` turns the bundled seed
articles into one story with a brief whose evidence points at their real sentences.
"""

import re
from collections.abc import Sequence

from storyline.extract.article import article_id
from storyline.records import (
    Analysis,
    Article,
    Brief,
    BriefItem,
    Claim,
    Conflict,
    ConflictValue,
    Coverage,
    Credit,
    Document,
    Entity,
    Event,
    Evidence,
    Quote,
    Side,
    Source,
    Story,
    StoryEvent,
    StoryMember,
    TimeExpression,
)
from storyline.store import SQLiteStore

NOISE_FORMULA = "share of members that are syndicated copies or derivatives of another member"
XSS = '<script>alert("xss")</script><img src=x onerror="alert(1)">'


def make(text: str, **fields: object) -> Article:
    """An Article for `text` (title = first line), with any other fields given."""
    return Article(id=article_id(text), text=text, title=text.split("\n", 1)[0], **fields)  # type: ignore[arg-type]


def span(article: Article, needle: str) -> Evidence:
    """The evidence span of the first occurrence of `needle` in the article's text."""
    start = article.text.find(needle)
    if start < 0:
        raise ValueError(f"{needle!r} not in {article.title!r}")
    return Evidence(article.id, start, start + len(needle))


def item(article: Article, needle: str, text: str | None = None, **extra: object) -> BriefItem:
    return BriefItem(text or needle, (span(article, needle),), **extra)  # type: ignore[arg-type]


def store_articles(store: SQLiteStore, articles: Sequence[Article]) -> None:
    for article in articles:
        location = article.url or f"test://{article.id}"
        store.add_article(Document(location, location, article.text, "text", url=article.url), article)


def coverage(articles: Sequence[Article], noise: float = 0.0) -> Coverage:
    dates = sorted(a.published for a in articles if a.published)
    outlets = tuple(dict.fromkeys(a.outlet for a in articles if a.outlet))
    languages = tuple(dict.fromkeys(a.language for a in articles if a.language))
    first, last = (dates[0], dates[-1]) if dates else (None, None)
    return Coverage(len(articles), outlets, languages, first, last, 1.5, noise, NOISE_FORMULA)


TRAM_TEXTS = [
    (
        "City Council Approves Northern Tram Extension\n\n"
        "By Maria Keller\n\n"
        "The city council voted 31 to 12 on Tuesday to extend the tram network north to Lindenhof, adding "
        "12 stations over 9.4 kilometres.\n\n"
        "\u201cThis line will take 20,000 cars off the road every day,\u201d said mayor Anna Roth after the vote. "
        "Construction is due to start in March 2027 and the line should open in 2031.\n\n"
        "The project was first reported by the Lindenhof Courier in January. Opponents say the budget of "
        "480 million euros is too low.",
        "Metro Daily",
        ("Maria Keller",),
        "2026-06-16",
        "en",
        "https://metro.example/tram-north",
    ),
    (
        "Tram Extension Passes Despite Cost Worries\n\n"
        "The council approved the northern tram extension on Tuesday. The line will have 14 stations, according "
        "to the transport department's plan.\n\n"
        "\u201cWe have seen this film before: budgets double and deadlines slip,\u201d said councillor Jonas Brandt, "
        "who voted against. He argued the real cost is closer to 700 million euros.\n\n"
        "Supporters point to the 2019 climate plan, which promised a car-free centre by 2035.",
        "The Ledger",
        ("Priya Nair",),
        "2026-06-17",
        "en",
        "https://ledger.example/news/tram",
    ),
    (
        "City Council Approves Northern Tram Extension\n\n"
        "The city council voted 31 to 12 on Tuesday to extend the tram network north to Lindenhof, adding "
        "12 stations over 9.4 kilometres.\n\n"
        "\u201cThis line will take 20,000 cars off the road every day,\u201d said mayor Anna Roth after the vote. "
        "Construction is due to start in March 2027.\n\nThis story was syndicated from Metro Daily.",
        "Regional Wire",
        (),
        "2026-06-16T18:30:00+02:00",
        "en",
        "https://wire.example/a/88121",
    ),
    (
        "Stadtrat beschließt Straßenbahn nach Lindenhof\n\n"
        "Der Stadtrat hat am Dienstag mit 31 zu 12 Stimmen die Verlängerung der Straßenbahn beschlossen. "
        "Die Strecke soll 12 Haltestellen haben und 2031 in Betrieb gehen.\n\n"
        "\u201eDas ist ein guter Tag für den Norden\u201c, sagte Bürgermeisterin Anna Roth.",
        "Stadtanzeiger",
        ("K. Weber",),
        "2026-06-18",
        "de",
        None,
    ),
]


def tram_articles() -> list[Article]:
    return [
        make(text, outlet=outlet, authors=authors, published=published, language=language, url=url)
        for text, outlet, authors, published, language, url in TRAM_TEXTS
    ]


def tram_analysis(article: Article) -> Analysis:
    """A small hand analysis: names, the quote, one claim and one dated event where the text has them."""
    text = article.text
    entities = [
        Entity(name, label, m.start(), m.end(), name)
        for name, label in (("Anna Roth", "PERSON"), ("Lindenhof", "GPE"), ("Jonas Brandt", "PERSON"))
        for m in re.finditer(re.escape(name), text)
    ]
    quotes = []
    for found in re.finditer("[\u201c\u201e]([^\u201d\u201c]+)[\u201d\u201c]", text):
        speaker = "Anna Roth" if "Roth" in text[found.end() : found.end() + 60] else "Jonas Brandt"
        quotes.append(Quote(found.group(1), found.start(1), found.end(1), speaker, cue="said"))
    claims, events = [], []
    for sentence in re.finditer(r"[^.\n]*\d[^.\n]*\.", text):
        claims.append(Claim(sentence.group().strip(), sentence.start(), sentence.end(), None, score=0.81))
        year = re.search(r"\b(20\d\d)\b", sentence.group())
        if year:
            time = TimeExpression(
                year.group(1), sentence.start() + year.start(), sentence.start() + year.end(), "DATE", year.group(1)
            )
            events.append(Event(year.group(1), sentence.group(), sentence.start(), sentence.end(), time))
    return Analysis(
        article.id,
        "analysis.test",
        entities=tuple(entities),
        quotes=tuple(quotes),
        claims=tuple(claims),
        events=tuple(events),
        topics=("tram", "Lindenhof", "council"),
    )


def tram_story(store: SQLiteStore) -> str:
    metro, ledger, wire, anzeiger = articles = tram_articles()
    store_articles(store, articles)
    store.put_analyses([tram_analysis(a) for a in articles])
    members = (
        StoryMember(metro.id, "original"),
        StoryMember(wire.id, "syndicated_copy", (metro.id,)),
        StoryMember(ledger.id, "independent"),
        StoryMember(anzeiger.id, "derivative", (metro.id,)),
    )
    credit = Credit("Lindenhof Courier", "outlet", span(metro, "first reported by the Lindenhof Courier"))
    cover = coverage(articles, noise=0.5)
    story = Story("st_tram", members, (credit,), cover, "2026-06-16T10:00:00+00:00", "2026-06-18T09:00:00+00:00")
    events = [
        StoryEvent(story.id, "create", f"founded by {metro.id}", "2026-06-16T10:00:00+00:00", metro.id),
        StoryEvent(story.id, "join", "similarity 0.91 >= 0.55", "2026-06-17T10:00:00+00:00", ledger.id),
    ]
    store.put_stories([story], events)
    stations = "12 stations over 9.4 kilometres"
    brief = Brief(
        id=story.id,
        headline=BriefItem(
            "Council approves northern tram extension to Lindenhof",
            (span(metro, "extend the tram network north to Lindenhof"),),
        ),
        summary=(
            BriefItem(
                "The city council voted 31 to 12 to extend the tram network north to Lindenhof.",
                (span(metro, "voted 31 to 12"), span(anzeiger, "mit 31 zu 12 Stimmen")),
            ),
            item(
                ledger,
                "He argued the real cost is closer to 700 million euros.",
                "Opponents say the 480 million euro budget is too low; one councillor puts the cost near 700 million.",
            ),
        ),
        key_points=(
            BriefItem(
                "The line adds 12 stations over 9.4 km.",
                (span(metro, stations), span(anzeiger, "12 Haltestellen")),
                support=2,
            ),
            item(metro, "Construction is due to start in March 2027", "Construction starts in March 2027.", support=2),
            item(
                metro,
                "take 20,000 cars off the road every day",
                "The mayor says it will take 20,000 cars a day off the road.",
            ),
        ),
        why_it_matters=(
            item(
                ledger,
                "which promised a car-free centre by 2035",
                "The line is central to the city's promise of a car-free centre by 2035.",
            ),
        ),
        explainer=(
            item(
                metro,
                "adding 12 stations",
                "A tram extension lengthens an existing line: here by about 9 km, from the centre to Lindenhof.",
            ),
        ),
        sides=(
            Side(
                "Supporters",
                ("Anna Roth",),
                "The line cuts traffic and meets climate goals.",
                (item(metro, "This line will take 20,000 cars off the road every day"),),
            ),
            Side(
                "Sceptics",
                ("Jonas Brandt",),
                "The budget is unrealistic.",
                (item(ledger, "budgets double and deadlines slip"),),
            ),
        ),
        timeline=(
            item(ledger, "the 2019 climate plan", "Climate plan promises a car-free centre", date="2019"),
            item(metro, "voted 31 to 12 on Tuesday", "Council approves the extension", date="2026-06-16"),
            item(metro, "Construction is due to start in March 2027", "Construction begins", date="2027-03"),
            item(metro, "the line should open in 2031", "Line opens", date="2031"),
        ),
        forecast=(
            item(
                metro,
                "the line should open in 2031",
                "The line should open in 2031.",
                speaker="Metro Daily",
                horizon="2031",
            ),
        ),
        quotes=(
            item(metro, "This line will take 20,000 cars off the road every day", speaker="Anna Roth"),
            item(ledger, "We have seen this film before: budgets double and deadlines slip", speaker="Jonas Brandt"),
        ),
        topics=("tram", "Lindenhof", "public transport", "city budget"),
        tags=("Verkehr",),
        sources=(
            Source(metro.id, metro.outlet, metro.title, metro.authors, metro.published, metro.url, "original"),
            Source(ledger.id, ledger.outlet, ledger.title, ledger.authors, ledger.published, ledger.url, "independent"),
            Source(wire.id, wire.outlet, wire.title, (), wire.published, wire.url, "syndicated_copy", (metro.id,)),
            Source(
                anzeiger.id,
                anzeiger.outlet,
                anzeiger.title,
                anzeiger.authors,
                anzeiger.published,
                None,
                "derivative",
                (metro.id,),
            ),
            Source(None, "Lindenhof Courier", None, (), None, None, "credited_upstream", evidence=(credit.evidence,)),
        ),
        conflicts=(
            Conflict(
                "number of stations",
                (
                    ConflictValue("12", (span(metro, stations), span(anzeiger, "12 Haltestellen"))),
                    ConflictValue("14", (span(ledger, "The line will have 14 stations"),)),
                ),
            ),
            Conflict(
                "cost of the project",
                (
                    ConflictValue("480 million euros", (span(metro, "budget of 480 million euros"),)),
                    ConflictValue("about 700 million euros", (span(ledger, "closer to 700 million euros"),)),
                ),
            ),
        ),
        coverage=cover,
        generated_by="handwritten.test",
    )
    store.put_brief(brief, [], story.updated_at)
    return story.id


def hostile_story(store: SQLiteStore) -> tuple[str, str]:
    """A story whose article carries script payloads in every field. Returns (story id, article id)."""
    text = (
        f"Breaking {XSS} news\n\n"
        f"Officials said {XSS} on Monday that the bridge will close.\n\n"
        '"><svg onload=alert(2)> and javascript:alert(3) and </textarea><script>alert(4)</script>'
    )
    article = make(
        text,
        outlet=f"Evil {XSS} Times",
        authors=(XSS,),
        published="2026-06-15",
        language="en",
        url="javascript:alert(5)",
        tags=(XSS,),
    )
    store_articles(store, [article])
    store.put_analyses([Analysis(article.id, "analysis.test", entities=(Entity(XSS, "ORG", 9, 9 + len(XSS), XSS),))])
    cover = Coverage(1, (article.outlet or "",), ("en",), "2026-06-15", "2026-06-15", 1.0, 0.0, XSS)
    story = Story("st_hostile", (StoryMember(article.id, "original"),), (), cover, "2026-06-15", "2026-06-15")
    store.put_stories([story], [StoryEvent(story.id, "create", XSS, "2026-06-15T00:00:00+00:00", article.id)])
    payload = span(article, f"Officials said {XSS} on Monday")
    brief = Brief(
        story.id,
        BriefItem(f"Headline {XSS}", (payload,)),
        (BriefItem(f"Summary {XSS}", (payload,)),),
        (BriefItem(XSS, (payload,), support=1),),
        (),
        (),
        (Side(XSS, (XSS,), XSS, (BriefItem(XSS, (payload,)),)),),
        (BriefItem(XSS, (payload,), date="2026-06-15"), BriefItem(XSS, (payload,), date="2026-06-16")),
        (),
        (BriefItem(XSS, (payload,), speaker=XSS),),
        (XSS,),
        (XSS,),
        (
            Source(
                article.id, article.outlet, article.title, article.authors, article.published, article.url, "original"
            ),
            Source(None, XSS, XSS, (XSS,), None, "javascript:alert(6)", "credited_upstream", evidence=(payload,)),
        ),
        (Conflict(XSS, (ConflictValue(XSS, (payload,)), ConflictValue("b", (payload,)))),),
        cover,
        XSS,
    )
    store.put_brief(brief, [f"problem {XSS}"], story.updated_at)
    return story.id, article.id


def pending_story(store: SQLiteStore) -> str:
    """A story with two articles and no brief yet (one article has no metadata at all)."""
    first = make(
        "Storm Closes Harbour\n\nThe harbour closed on Sunday as winds reached 120 km/h.",
        outlet="Coast News",
        published="2026-06-10",
        language="en",
    )
    second = make("Harbour reopens after storm\n\nShips returned on Monday morning.")
    store_articles(store, [first, second])
    members = (StoryMember(first.id, "original"), StoryMember(second.id, "independent"))
    story = Story("st_storm", members, (), coverage([first, second]), "2026-06-10", "2026-06-11")
    store.put_stories([story], [])
    return story.id


def japanese_story(store: SQLiteStore) -> str:
    """A brief in Japanese whose sources lack outlets and dates."""
    article = make(
        "東京で新しい図書館が開館\n\n東京都は月曜日、新しい中央図書館を開館した。蔵書は約50万冊。", language="ja"
    )
    store_articles(store, [article])
    cover = Coverage(1, (), ("ja",), None, None, 0.0, 0.0, NOISE_FORMULA)
    story = Story("st_tokyo", (StoryMember(article.id, "original"),), (), cover, "2026-06-01", "2026-06-01")
    store.put_stories([story], [])
    brief = Brief(
        story.id,
        item(article, "新しい中央図書館を開館した", "東京に新しい中央図書館"),
        (item(article, "蔵書は約50万冊"),),
        (),
        (),
        (),
        (),
        (),
        (),
        (),
        ("図書館",),
        (),
        (Source(article.id, None, article.title, (), None, None, "original"),),
        (),
        cover,
        "handwritten.test",
    )
    store.put_brief(brief, [], story.updated_at)
    return story.id


def write_demo(store: SQLiteStore) -> dict[str, str]:
    """Store all demo stories; returns their ids by name (tram, hostile, hostile_article, storm, tokyo)."""
    hostile, hostile_article = hostile_story(store)
    return {
        "tram": tram_story(store),
        "hostile": hostile,
        "hostile_article": hostile_article,
        "storm": pending_story(store),
        "tokyo": japanese_story(store),
    }


_SENTENCE = re.compile(r"[^\s].{39,400}?(?<![A-Z])[.!?](?=\s|$)")  # not cut at "U.S."


def write_seed_story(store: SQLiteStore, articles: Sequence[Article]) -> str:
    """One story of the given (seed) articles with a brief made of their own sentences."""
    store_articles(store, articles)
    ordered = sorted(articles, key=lambda a: (a.published or "9999", a.id))
    members = tuple(StoryMember(a.id, "original" if i == 0 else "independent") for i, a in enumerate(ordered))
    cover = coverage(ordered)
    story = Story("st_seeds", members, (), cover, "2026-06-19T00:00:00+00:00", "2026-06-20T00:00:00+00:00")
    store.put_stories([story], [])
    sentences = {a.id: [m for m in _SENTENCE.finditer(a.text) if m.start() > len(a.title)] for a in ordered}

    def sentence(article: Article, index: int) -> BriefItem:
        found = sentences[article.id][index % len(sentences[article.id])]
        return BriefItem(found.group().strip(), (Evidence(article.id, found.start(), found.end()),))

    brief = Brief(
        story.id,
        BriefItem(ordered[0].title, (Evidence(ordered[0].id, 0, len(ordered[0].title)),)),
        tuple(sentence(a, 0) for a in ordered[:2]),
        tuple(sentence(a, 1) for a in ordered),
        (sentence(ordered[-1], 2),),
        (),
        (),
        (),
        (),
        (),
        ("open source AI", "regulation"),
        (),
        tuple(
            Source(a.id, a.outlet, a.title, a.authors, a.published, a.url, m.role)
            for a, m in zip(ordered, members, strict=True)
        ),
        (),
        cover,
        "handwritten.test",
    )
    store.put_brief(brief, [], story.updated_at)
    return story.id
