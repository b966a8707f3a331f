"""Starts `gapi mcp` once per given command line with the official MCP Python SDK and asks each
server who it runs as (drive about.get, fields user/emailAddress); prints the answers as JSON.

usage: mcp_identity.py GAPI_BIN SESSIONS_JSON
SESSIONS_JSON is a list of {"args": [...], "env": {...}}: the server's arguments (global
options before or after `mcp`) and extra environment variables. The output is a list, in the
same order, of {"is_error", "structured", "text"} for the about.get call, or {"failed": "..."}
when the server could not be started or answered nothing.
"""

import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def field(obj, snake, camel):
    v = getattr(obj, snake, None)
    return v if v is not None else getattr(obj, camel, None)


async def ask(gapi, session_spec):
    # The SDK passes only a few variables to the server; gapi's own must be handed on.
    env = {k: v for k, v in os.environ.items() if k.startswith(("GAPI_", "CLOUDSDK_"))}
    env.update(session_spec.get("env", {}))
    params = StdioServerParameters(command=gapi, args=session_spec["args"], env=env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            r = await session.call_tool(
                "call_method",
                {"api": "drive", "method": "about.get", "params": {"fields": "user/emailAddress"}},
            )
            return {
                "is_error": bool(field(r, "is_error", "isError")),
                "structured": field(r, "structured_content", "structuredContent"),
                "text": r.content[0].text if r.content else None,
            }


async def main():
    gapi, sessions = sys.argv[1], json.loads(sys.argv[2])
    out = []
    for spec in sessions:
        try:
            out.append(await asyncio.wait_for(ask(gapi, spec), timeout=60))
        except BaseException as e:  # noqa: BLE001 - reported to the Rust test as data
            if isinstance(e, KeyboardInterrupt):
                raise
            out.append({"failed": f"{type(e).__name__}: {e}"})
    print(json.dumps(out))


asyncio.run(main())
