"""One article, one URL: the canonical form of a link, so an article fetched twice, or linked from two feeds with
different tracking parameters, is stored once."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["TRACKING_PARAMETERS", "canonical_url"]

# Query parameters that say who sent the reader, never which page it is.
TRACKING_PARAMETERS = frozenset(
    "fbclid gclid dclid msclkid yclid mc_cid mc_eid igshid ref_src ocid cmpid _ga _hsenc _hsmi".split()
)


def canonical_url(url: str) -> str:
    """`url` without its fragment, tracking parameters (utm_* and TRACKING_PARAMETERS) and default port, with a
    lower-cased scheme and host; the other parameters keep their order. Not a URL: returned unchanged."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url
    scheme = parts.scheme.lower()
    host = parts.hostname.lower()
    if port is not None and not (scheme == "http" and port == 80 or scheme == "https" and port == 443):
        host = f"{host}:{port}"
    if parts.username or parts.password:
        host = f"{parts.username or ''}{':' + parts.password if parts.password else ''}@{host}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMETERS
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query, doseq=True), ""))
