"""A streamable-HTTP MCP server from the official MCP Python SDK (MCPServer), standing in
for one of Google's hosted MCP servers: it accepts only bearer tokens that the OAuth
server's tokeninfo endpoint accepts (the SDK's own bearer-token middleware, 401 otherwise).

usage: mcp_upstream.py TOKENINFO_URL REQUIRED_SCOPE [PORT]
Prints the port it listens on (127.0.0.1; PORT, or any free one) as its first line, then
serves until killed. Tools: search_files (read-only), create_file, whoami (the token's scopes
as the server saw them). GET /initializations answers how many initialize requests this
process received (a restarted server knows no earlier session and answers them 404).
"""

import asyncio
import json
import socket
import sys

import httpx2 as httpx
import uvicorn
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations

tokeninfo, required_scope = sys.argv[1], sys.argv[2]
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", int(sys.argv[3]) if len(sys.argv) > 3 else 0))
port = sock.getsockname()[1]
base = f"http://127.0.0.1:{port}"
granted = {}


class TokenInfoVerifier:
    async def verify_token(self, token: str) -> AccessToken | None:
        async with httpx.AsyncClient() as client:
            r = await client.get(tokeninfo, params={"access_token": token})
        if r.status_code != 200:
            return None
        info = r.json()
        scopes = info.get("scope", "").split()
        granted["scopes"] = scopes
        return AccessToken(
            token=token,
            client_id=info.get("azp") or info.get("aud") or "unknown",
            scopes=scopes,
            expires_at=int(info["exp"]) if "exp" in info else None,
        )


server = MCPServer(
    "drive-upstream",
    token_verifier=TokenInfoVerifier(),
    auth=AuthSettings(
        issuer_url=base,
        resource_server_url=f"{base}/mcp",
        required_scopes=[required_scope],
        validate_token_resource=False,
    ),
)


@server.tool(annotations=ToolAnnotations(readOnlyHint=True))
def search_files(query: str) -> str:
    """Search Drive files by name."""
    return f"files matching {query}: report.pdf"


@server.tool()
def create_file(name: str) -> str:
    """Create a Drive file."""
    return f"created {name}"


@server.tool(annotations=ToolAnnotations(readOnlyHint=True))
def whoami() -> str:
    """The scopes of the token this call came with."""
    return " ".join(granted.get("scopes", []))


initializations = {"count": 0}


def counting(app):
    """The app, counting the initialize requests it is sent; GET /initializations tells."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        if scope["method"] == "GET" and scope["path"] == "/initializations":
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body",
                        "body": str(initializations["count"]).encode()})
            return
        if scope["method"] != "POST":
            return await app(scope, receive, send)
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            messages = json.loads(body)
        except ValueError:
            messages = None
        for m in messages if isinstance(messages, list) else [messages]:
            if isinstance(m, dict) and m.get("method") == "initialize":
                initializations["count"] += 1
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await app(scope, replay, send)

    return wrapped


async def main():
    app = counting(server.streamable_http_app())
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    print(port, flush=True)
    await uvicorn.Server(config).serve(sockets=[sock])


asyncio.run(main())
