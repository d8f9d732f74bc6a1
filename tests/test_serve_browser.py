"""The web UI in headless Chromium (Debian's, driven by Playwright): evidence markers open the cited span,
script payloads in articles stay inert, nothing loads from elsewhere, and screenshots for people to judge
(test-artifacts/*.png)."""

from collections.abc import Iterator

import pytest

from browser import CHROMIUM, DESKTOP, LAUNCH_ARGS, PHONE, artifact, ensure_chromium, live_server
from serve_data import write_demo, write_seed_story
from storyline.records import Article
from storyline.serve import create_app
from storyline.store import SQLiteStore

pytestmark = [pytest.mark.browser, pytest.mark.slow]

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, seed_articles: dict[str, Article]) -> Iterator[str]:
    path = tmp_path_factory.mktemp("browser") / "demo.db"
    with SQLiteStore(path) as store:
        write_seed_story(store, list(seed_articles.values()))
        write_demo(store)
    with live_server(create_app(str(path))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator["playwright_api.Browser"]:
    reason = ensure_chromium()
    if reason:
        pytest.skip(reason)
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: "playwright_api.Browser", base_url: str) -> Iterator["playwright_api.Page"]:
    """A desktop page that fails the test on any dialog, page error, or request to another origin."""
    context = browser.new_context(viewport=DESKTOP)
    opened = context.new_page()
    problems: list[str] = []
    opened.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on("request", lambda r: None if r.url.startswith(base_url) else problems.append(f"request: {r.url}"))
    yield opened
    context.close()
    assert problems == []


def test_clicking_an_evidence_marker_highlights_the_cited_span(page: "playwright_api.Page", base_url: str) -> None:
    page.goto(f"{base_url}/stories/st_seeds")
    page.screenshot(path=artifact("brief.png"), full_page=True)
    marker = page.locator(".points a.ev").first
    article_id, start, end = (marker.get_attribute(name) for name in ("data-article", "data-start", "data-end"))
    marker.click()
    span = page.locator("#source-panel #panel-evidence")
    span.wait_for(state="visible")
    text = page.request.get(f"{base_url}/api/articles/{article_id}").json()["article"]["text"]
    highlighted = page.locator("#source-panel .mk-evidence").all_inner_texts()
    assert "".join(highlighted) == text[int(start or 0) : int(end or 0)]
    background = span.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(255, 226, 122)"  # the highlight colour, not transparent
    assert "active" in (marker.get_attribute("class") or "")
    assert span.is_visible() and span.bounding_box() is not None
    page.screenshot(path=artifact("brief-evidence.png"))


def test_the_story_list_and_the_source_comparison(page: "playwright_api.Page", base_url: str) -> None:
    page.goto(base_url + "/")
    assert page.locator(".story-card").count() == 5
    assert page.locator(".badge-conflict").first.inner_text() == "2 conflicts"
    page.screenshot(path=artifact("story-list.png"), full_page=True)
    page.goto(f"{base_url}/stories/st_tram")
    conflicts = page.locator("#conflicts")
    columns = conflicts.locator(".compare-col").all()
    boxes = [c.bounding_box() for c in columns[:2]]
    assert boxes[0] and boxes[1] and abs(boxes[0]["y"] - boxes[1]["y"]) < 2  # side by side
    conflicts.locator("a.ev").nth(2).click()
    page.locator("#panel-evidence").wait_for(state="visible")
    assert page.locator("#panel-evidence").inner_text() == "The line will have 14 stations"
    page.screenshot(path=artifact("source-comparison.png"))
    page.locator("#sources").screenshot(path=artifact("lineage.png"))


def test_phone_width_is_usable(browser: "playwright_api.Browser", base_url: str) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(base_url + "/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    phone.screenshot(path=artifact("phone-story-list.png"))
    phone.goto(f"{base_url}/stories/st_tram")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not phone.locator("#source-panel").is_visible()
    phone.screenshot(path=artifact("phone-brief.png"))
    # the lineage is the one-source-a-row drawing, drawn at its own size (its labels as legible as on a desktop)
    assert not phone.locator("svg.lineage-wide").is_visible()
    tree = phone.locator("svg.lineage-narrow")
    assert tree.is_visible()
    drawn = tree.bounding_box()
    assert drawn is not None and drawn["width"] >= 0.95 * float(tree.get_attribute("width") or 0)
    phone.locator("#sources").screenshot(path=artifact("phone-lineage.png"))
    phone.locator(".points a.ev").first.tap()
    phone.locator("#panel-evidence").wait_for(state="visible")
    phone.screenshot(path=artifact("phone-source.png"))
    phone.locator(".panel-close").tap()
    assert not phone.locator("#source-panel").is_visible()
    context.close()


def test_script_payloads_in_an_article_stay_inert(page: "playwright_api.Page", base_url: str) -> None:
    article_id = page.request.get(f"{base_url}/api/stories/st_hostile").json()["story"]["members"][0]["article_id"]
    for path in ["/stories/st_hostile", f"/articles/{article_id}?start=0&end=20", "/search?q=alert", "/"]:
        page.goto(base_url + path)
        assert page.evaluate("document.scripts.length") == 1, path  # only /static/app.js
        assert page.evaluate("document.querySelectorAll('[onerror],[onload],img,iframe,object').length") == 0, path
    page.goto(f"{base_url}/stories/st_hostile")
    assert "<script>" in page.locator("h1").inner_text()  # the payload is shown as text
    page.locator(".lede a.ev, .points a.ev").first.click()  # a short story's key points are its summary
    page.locator("#panel-evidence").wait_for(state="visible")
    assert page.evaluate("document.querySelectorAll('#source-panel script, #source-panel [onerror]').length") == 0
    page.screenshot(path=artifact("hostile-article.png"))
    # the fixture asserts that no dialog opened, no script error happened and nothing was fetched from elsewhere


def test_links_work_without_script(browser: "playwright_api.Browser", base_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    plain = context.new_page()
    plain.goto(f"{base_url}/stories/st_tram")
    plain.locator(".points a.ev").first.click()
    plain.wait_for_url("**/articles/**")
    assert plain.locator("#evidence").is_visible()
    context.close()
