"""Request bodies are capped: a referral is kilobytes, so megabytes are a mistake or abuse."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import BodyTooLarge, ProblemKind, problem_response


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:  # chunked bodies declare no length
                raise BodyTooLarge(f"request bodies are limited to {self.max_bytes} bytes")
            return message

        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, tracking)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            ProblemKind.PAYLOAD_TOO_LARGE,
            f"request bodies are limited to {self.max_bytes} bytes",
            instance=scope.get("path"),
        )
        await response(scope, receive, send)
