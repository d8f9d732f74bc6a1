"""HEAD requests answered like GET, without the body (RFC 9110, section 9.3.2).

FastAPI routes declared with `@router.get` accept only GET, so link checkers and monitors that send HEAD got
405. This middleware routes a HEAD request as GET and sends the GET response's status and headers (including
its Content-Length) with an empty body.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGet"]


class HeadAsGet:
    """ASGI middleware that serves HEAD as GET and drops the response body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
