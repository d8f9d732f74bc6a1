"""The brief as JSON (the `brief --format json` contract; schema in docs/brief.schema.json)."""

import json
from typing import Any

from storyline.records import Brief, to_dict

__all__ = ["ITEM_EXTRAS", "brief_json", "render_json"]

ITEM_EXTRAS = ("support", "date", "speaker", "horizon")


def _item(data: dict[str, Any]) -> dict[str, Any]:
    """A brief item: text and evidence, plus the extra fields that are set."""
    item = {"text": data["text"], "evidence": data["evidence"]}
    item.update({key: data[key] for key in ITEM_EXTRAS if data.get(key) is not None})
    return item


def brief_json(brief: Brief) -> dict[str, Any]:
    """The brief as JSON-ready data: items keep only the extra fields they use."""
    data = to_dict(brief)
    data["headline"] = _item(data["headline"])
    for section in ("summary", "key_points", "why_it_matters", "explainer", "timeline", "forecast", "quotes"):
        data[section] = [_item(item) for item in data[section]]
    for side in data["sides"]:
        side["items"] = [_item(item) for item in side["items"]]
    return data


def render_json(brief: Brief) -> str:
    return json.dumps(brief_json(brief), ensure_ascii=False, indent=2) + "\n"
