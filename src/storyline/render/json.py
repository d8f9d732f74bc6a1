"""The brief as JSON (the `brief --format json` contract; schema in docs/brief.schema.json)."""

import json
from typing import Any

from storyline.records import Brief, to_dict
from storyline.render.story import StoryContext, StoryLink

__all__ = ["ITEM_EXTRAS", "brief_json", "render_json"]

ITEM_EXTRAS = ("support", "date", "speaker", "horizon")


def _item(data: dict[str, Any]) -> dict[str, Any]:
    """A brief item: text and evidence, plus the extra fields that are set."""
    item = {"text": data["text"], "evidence": data["evidence"]}
    item.update({key: data[key] for key in ITEM_EXTRAS if data.get(key) is not None})
    item["generated_by"] = data.get("generated_by", "extractive")
    item["verified"] = data.get("verified", True)
    return item


def brief_json(brief: Brief, *, context: StoryContext | None = None) -> dict[str, Any]:
    """The brief as JSON-ready data: items keep only the extra fields they use.

    With `context`, the story's `status`, `follows` and `followed_by` are added (each link as id and headline).
    """
    data = to_dict(brief)
    data["headline"] = _item(data["headline"])
    for section in ("summary", "key_points", "why_it_matters", "explainer", "timeline", "forecast", "quotes"):
        data[section] = [_item(item) for item in data[section]]
    for side in data["sides"]:
        side["items"] = [_item(item) for item in side["items"]]
    if context is not None:
        data["status"] = context.status
        data["follows"] = [_link(link) for link in context.follows]
        data["followed_by"] = [_link(link) for link in context.followed_by]
    return data


def _link(link: StoryLink) -> dict[str, Any]:
    return {"id": link.story_id, "headline": link.headline}


def render_json(brief: Brief, *, context: StoryContext | None = None) -> str:
    return json.dumps(brief_json(brief, context=context), ensure_ascii=False, indent=2) + "\n"
