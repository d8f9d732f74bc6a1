"""The HTML pages: what they show, and that untrusted article content is inert on every one of them."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyline.records import Feed
from storyline.store import SQLiteStore


class Tags(HTMLParser):
    """Every start tag of a page with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def pages(ids: dict[str, str]) -> list[str]:
    article = ids["hostile_article"]
    return [
        "/",
        "/stories/st_hostile",
        "/stories/st_tram",
        "/stories/st_storm",
        "/stories/st_tokyo",
        f"/articles/{article}",
        f"/articles/{article}?start=0&end=40",
        f"/fragments/articles/{article}?start=5&end=60",
        "/search?q=bridge",
        "/search?q=alert",
        "/api/docs",
        "/stories/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ]


def test_every_page_renders(client: TestClient, demo: tuple[str, dict[str, str]]) -> None:
    for path in pages(demo[1])[:-1]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_untrusted_content_is_escaped_and_inert_everywhere(
    client: TestClient, demo: tuple[str, dict[str, str]]
) -> None:
    for path in pages(demo[1]):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html, path
        tags = parse(html)
        assert tags.script_text == [], path  # no inline script at all
        scripts = [attrs.get("src") for tag, attrs in tags.tags if tag == "script"]
        assert scripts in ([], ["/static/app.js"]), path
        for tag, attrs in tags.tags:
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            assert "style" not in attrs, (path, tag)  # inline styles would break the CSP
            for name in ("href", "src", "action"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (path, tag, attrs)
    hostile = client.get("/stories/st_hostile").text
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in hostile  # shown as text


def test_pages_load_nothing_from_other_origins(client: TestClient, demo: tuple[str, dict[str, str]]) -> None:
    for path in pages(demo[1]):
        for tag, attrs in parse(client.get(path).text).tags:
            if tag in ("script", "img", "iframe", "link", "source", "video", "audio", "embed", "object"):
                target = attrs.get("src") or attrs.get("href") or ""
                assert target.startswith("/"), (path, tag, target)
    css = client.get("/static/style.css").text
    assert "http://" not in css and "https://" not in css and "@import" not in css
    assert "http" not in client.get("/static/app.js").text.replace("https://", "")


def test_outbound_links_only_for_web_urls(client: TestClient, demo: tuple[str, dict[str, str]]) -> None:
    tram = parse(client.get("/stories/st_tram").text)
    external = [attrs for tag, attrs in tram.tags if tag == "a" and "external" in (attrs.get("class") or "")]
    assert {a["href"] for a in external} == {"https://metro.example/tram-north", "https://ledger.example/news/tram",
                                              "https://wire.example/a/88121"}  # fmt: skip
    assert all(a["rel"] == "noopener noreferrer nofollow" for a in external)
    article = client.get(f"/articles/{demo[1]['hostile_article']}").text
    assert 'href="javascript' not in article and "javascript:alert(5)" in article  # shown, not linked


def test_evidence_markers_link_to_the_highlighted_span(client: TestClient) -> None:
    tags = parse(client.get("/stories/st_tram").text).tags
    markers = [attrs for tag, attrs in tags if tag == "a" and attrs.get("class") == "ev"]
    assert len(markers) > 20
    first = markers[0]
    assert (
        first["href"]
        == f"/articles/{first['data-article']}?start={first['data-start']}&end={first['data-end']}#evidence"
    )
    assert "Metro Daily" in (first["title"] or "")


def test_the_brief_shows_conflicts_side_by_side_with_outlets(client: TestClient) -> None:
    html = client.get("/stories/st_tram").text
    section = html[html.index('id="conflicts"') : html.index('id="h-sides"')]
    assert section.count('class="compare-col"') == 4
    assert "The line will have 14 stations" in section and "12 Haltestellen" in section
    assert "The Ledger" in section and "Stadtanzeiger" in section
    assert 'lang="de"' in section and 'lang="en"' in section  # each source's words tagged with their language


def test_the_brief_draws_lineage_timeline_and_coverage(client: TestClient) -> None:
    html = client.get("/stories/st_tram").text
    wide, narrow = html.split('class="chart lineage lineage-narrow"')  # one drawing per screen width (CSS)
    assert 'class="chart lineage lineage-wide"' in wide and 'class="when"' in wide  # dated boxes show the day
    for drawing in (wide, narrow):
        assert drawing.count('class="node role-') == 5  # four articles and the credited upstream outlet
        assert 'class="edge edge-credit"' in drawing and drawing.count('class="edge edge-copy"') == 2
    assert html.count("<circle cx=") == 4  # four dated timeline items
    assert 'class="chart histogram"' in html
    assert "share of members that are syndicated copies" in html  # the noise formula is shown


def test_a_story_without_brief_shows_its_members(client: TestClient) -> None:
    html = client.get("/stories/st_storm").text
    assert "No brief has been written" in html and "Harbour reopens after storm" in html


def test_the_article_page_highlights_analysis_and_the_cited_span(client: TestClient) -> None:
    data = client.get("/api/stories/st_tram").json()
    metro = next(card["id"] for card in data["articles"].values() if card["outlet"] == "Metro Daily")
    html = client.get(f"/articles/{metro}", params={"start": 0, "end": 10}).text
    for kind in ("quote", "entity", "claim"):
        assert re.search(f'<span class="[^"]*mk-{kind}', html), kind
    assert 'id="evidence">City Counc</span>' in html
    assert "Extraction record" in html and "Metro Daily" in html


def test_the_source_panel_fragment_is_a_bare_highlighted_article(client: TestClient) -> None:
    data = client.get("/api/stories/st_tram").json()
    ledger = next(card["id"] for card in data["articles"].values() if card["outlet"] == "The Ledger")
    text = client.get(f"/api/articles/{ledger}").json()["article"]["text"]
    start = text.index("The line will have 14 stations")
    html = client.get(f"/fragments/articles/{ledger}", params={"start": start, "end": start + 30}).text
    assert "<html" not in html and 'id="panel-evidence"' in html
    assert 'class="mk-evidence" title="the cited span" id="panel-evidence">The line will have 14 stations<' in html
    assert "Tram Extension Passes Despite Cost Worries</p>" not in html  # the title line is not repeated


def test_search_page_marks_hits(client: TestClient) -> None:
    html = client.get("/search", params={"q": "tram"}).text
    assert "<mark>tram</mark>" in html.lower() or "<mark>Tram</mark>" in html
    assert "No article matches" in client.get("/search", params={"q": "zzzzqqq"}).text


def test_error_pages_are_html_for_people(client: TestClient) -> None:
    response = client.get("/stories/st_nothing")
    assert response.status_code == 404 and "Not found" in response.text
    assert client.get("/?page=0").status_code == 400
    assert client.get("/articles/xx?start=-1").status_code == 400


def test_a_story_whose_sources_name_no_outlet_says_so_rather_than_zero_outlets(client: TestClient) -> None:
    digest = client.get("/digest", params={"since": "3650d"}).text
    for html in (client.get("/stories/st_tokyo").text, client.get("/").text, digest):
        assert "outlet not named" in html and "<strong>0</strong> outlets" not in html
    assert "<strong>4</strong> outlets" in client.get("/stories/st_tram").text  # named outlets are counted


def test_non_latin_text_is_served_as_is(client: TestClient) -> None:
    html = client.get("/stories/st_tokyo").text
    assert "東京に新しい中央図書館" in html and "蔵書は約50万冊" in html


def test_static_files_are_served_from_memory_with_etags(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"] == "text/css; charset=utf-8"
    again = client.get("/static/style.css", headers={"If-None-Match": css.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/static/app.js").headers["content-type"] == "text/javascript; charset=utf-8"
    assert client.get("/static/icon.svg").headers["content-type"] == "image/svg+xml"
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/nothing.css").status_code == 404


def test_digest_page_lists_new_stories_and_rejects_a_bad_window(client: TestClient) -> None:
    html = client.get("/digest", params={"since": "3650d"}).text
    assert "What changed" in html and "New</span>" in html and "new story:" in html
    assert "Nothing new in this window." in client.get("/digest", params={"since": "2999-01-01"}).text
    assert client.get("/digest", params={"since": "yesterday"}).status_code == 400


def test_sources_page_shows_each_feed_state(demo: tuple[str, dict[str, str]], client: TestClient) -> None:
    assert "No feeds followed yet" in client.get("/sources").text
    with SQLiteStore(demo[0]) as store:
        store.put_feed(
            Feed("https://news.example/rss", "https://news.example/", "City News", last_error="HTTP 500", failures=2)
        )
    try:
        html = client.get("/sources").text
        assert "City News" in html and "HTTP 500" in html and "2 in a row" in html
    finally:
        with SQLiteStore(demo[0]) as store:
            store.remove_feed("https://news.example/rss")


def test_a_changed_brief_shows_what_changed_and_gets_an_update_entry(tmp_path: Path) -> None:
    from dataclasses import replace

    from serve_data import write_demo
    from storyline.serve.app import create_app

    path = tmp_path / "versions.db"
    with SQLiteStore(path) as store:
        story_id = write_demo(store)["tram"]
        found = store.get_brief(story_id)
        assert found is not None
        first = found[0]
        point = replace(first.key_points[0], text="Work on the tram line starts in May.")
        store.put_brief(replace(first, key_points=(*first.key_points, point)), [], "later")
    with TestClient(create_app(str(path))) as client:
        page = client.get(f"/stories/{story_id}").text
        assert "Updated" in page and "(version 2, against 1)" in page
        assert "new key point: Work on the tram line starts in May." in page
        feed = client.get("/feeds/updates.atom")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
        assert f"stories/{story_id}#v2" in feed.text and "new key point: Work on the tram line" in feed.text
        assert f"stories/{story_id}#v1" in feed.text  # the first version: a new story


@pytest.mark.slow
def test_the_seeds_lineage_shows_three_added_sentences_and_folds_the_rest(tmp_path: Path) -> None:
    """004 rewrites the op-ed (003) in its own words: nearly every sentence is new against 003's short record;
    the page shows three and folds the rest, and the basis says why it is linked."""
    import subprocess
    import sys

    from conftest import SEEDS
    from storyline.serve.app import create_app

    db = tmp_path / "seeds.db"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "storyline",
            "run",
            str(SEEDS),
            "--db",
            str(db),
            "--out",
            str(tmp_path / "b"),
            "--silent",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with TestClient(create_app(str(db))) as client:
        (story,) = client.get("/api/stories").json()["stories"]
        html = client.get(f"/stories/{story['id']}").text
    section = html[html.index('id="h-sources"') :]
    entry = section[section.index("has an empty source list") :]
    entry = entry[: entry.index('class="src-basis"', 1) if 'class="src-basis"' in entry[1:] else len(entry)]
    folded = entry[entry.index('<details class="src-more">') :]
    assert entry[: entry.index('<details class="src-more">')].count('class="src-adds"') == 3
    assert re.search(r"\d+ more sentences with facts its origin lacks", folded)
    assert "same title as Interconnects, which is dated; this one is not; the same figure" in section
