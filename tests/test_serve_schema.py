"""The JSON API against its own OpenAPI document: schemathesis generates requests (valid and invalid) and
checks that no response is a server error and that every response matches its documented schema."""

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.schemas import OpenApiSchema

from storyline.serve import create_app
from storyline.store import SQLiteStore

TOKEN = "test-token"


def fake_ingest(store: SQLiteStore, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"ok": True, "received": len(items), "articles_before": store.count_articles()}


@pytest.fixture(scope="module")
def api_schema(demo: tuple[str, dict[str, str]]) -> OpenApiSchema:
    app = create_app(demo[0], token=TOKEN, ingest=fake_ingest)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_server_errors_and_responses_match_the_spec(
    api_schema: OpenApiSchema, mode: GenerationMode, data: st.DataObject
) -> None:
    case = data.draw(api_schema.as_strategy(mode))
    case.call_and_validate(headers=AUTH if case.path == "/api/ingest" else None)


@pytest.mark.parametrize(
    ("path", "parameter", "name"),
    [
        ("/api/stories/{story_id}", "story_id", "tram"),
        ("/api/stories/{story_id}", "story_id", "hostile"),
        ("/api/stories/{story_id}", "story_id", "storm"),
        ("/api/stories/{story_id}", "story_id", "tokyo"),
        ("/api/articles/{article_id}", "article_id", "hostile_article"),
    ],
)
def test_real_records_match_the_documented_shapes(
    api_schema: OpenApiSchema, demo: tuple[str, dict[str, str]], path: str, parameter: str, name: str
) -> None:
    case = api_schema[path]["GET"].Case(path_parameters={parameter: demo[1][name]})
    response = case.call()
    assert response.status_code == 200
    case.validate_response(response)


def test_the_story_list_matches_its_documented_shape(api_schema: OpenApiSchema) -> None:
    case = api_schema["/api/stories"]["GET"].Case(query={"per_page": 2, "page": 1})
    response = case.call()
    assert response.status_code == 200 and len(response.json()["stories"]) == 2
    case.validate_response(response)


def test_the_spec_is_served_and_lists_every_api_route(demo: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    paths = set(create_app(demo[0]).openapi()["paths"])
    assert paths == {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search"}
    with_token = set(create_app(demo[0], token=TOKEN).openapi()["paths"])
    assert with_token == paths | {"/api/ingest"}


def test_the_ingest_body_and_token_are_documented(demo: tuple[str, dict[str, str]]) -> None:
    spec = create_app(demo[0], token=TOKEN).openapi()
    operation = spec["paths"]["/api/ingest"]["post"]
    body = operation["requestBody"]
    assert body["required"] is True
    schema = body["content"]["application/json"]["schema"]
    assert schema["type"] == "array" and schema["maxItems"] == 1000
    fields = schema["items"]["properties"]
    assert set(fields) == {"url", "title", "text", "html", "published", "outlet", "authors"}
    assert {"maxLength": 2_000_000, "type": "string"} in fields["text"]["anyOf"]
    assert {"401", "413", "415", "422", "501"} <= set(operation["responses"])
    assert operation["security"] == [{"HTTPBearer": []}]
