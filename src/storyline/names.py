"""How a source is named to a reader when its outlet is unknown (shared by the brief writer and the renderers)."""

__all__ = ["short_title"]


def short_title(title: str, limit: int = 48) -> str:
    """A title in quotes, cut at a word near `limit` characters: “Esther Williams, Olympic swimmer turned…”."""
    title = " ".join(title.split()).rstrip(".")
    return f"“{title}”" if len(title) <= limit else f"“{title[:limit].rsplit(' ', 1)[0]}…”"
