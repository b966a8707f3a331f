"""Runs a list of MCP tool calls against a stdio server with the official MCP Python SDK.

usage: mcp_calls.py CALLS_JSON COMMAND [ARG...]
CALLS_JSON is a JSON list of [tool, arguments]; ["__post", {"url": URL}] instead POSTs `{}`
to URL between two calls (an emulator control call, e.g. expiring tokens);
["__pause", {"ready": PATH, "go": PATH}] creates the file `ready`, then waits (up to 60 s)
until the file `go` exists (the test does something between two calls, e.g. restarts a server). Prints one JSON object on stdout:
{"tools": [...names], "results": [{"is_error", "text", "structured"}...]}.
"""

import asyncio
import json
import os
import sys
import time
import urllib.request

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def field(obj, snake, camel):
    v = getattr(obj, snake, None)
    return v if v is not None else getattr(obj, camel, None)


def result(r):
    return {
        "is_error": bool(field(r, "is_error", "isError")),
        "structured": field(r, "structured_content", "structuredContent"),
        "text": r.content[0].text if r.content else None,
    }


async def main():
    calls_json, command, *args = sys.argv[1:]
    calls = json.loads(calls_json)
    # The SDK passes only a few variables to the server; gapi's own must be handed on.
    env = {k: v for k, v in os.environ.items() if k.startswith(("GAPI_", "CLOUDSDK_"))}
    params = StdioServerParameters(command=command, args=args, env=env)
    out = {"results": []}
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = await session.list_tools()
            out["tools"] = sorted(t.name for t in tools.tools)
            out["annotations"] = {
                t.name: (t.annotations.model_dump(by_alias=True, exclude_none=True) if t.annotations else None)
                for t in tools.tools
            }
            for name, arguments in calls:
                if name == "__post":
                    req = urllib.request.Request(arguments["url"], data=b"{}", method="POST",
                                                 headers={"content-type": "application/json"})
                    with urllib.request.urlopen(req) as resp:
                        out["results"].append({"status": resp.status})
                    continue
                if name == "__pause":
                    open(arguments["ready"], "w").close()
                    deadline = time.monotonic() + 60
                    while not os.path.exists(arguments["go"]) and time.monotonic() < deadline:
                        await asyncio.sleep(0.05)
                    out["results"].append({"went_on": os.path.exists(arguments["go"])})
                    continue
                out["results"].append(result(await session.call_tool(name, arguments)))
    print(json.dumps(out))


asyncio.run(main())
