"""Drives `gapi mcp` with the official MCP Python SDK and prints what it saw as JSON.

usage: mcp_client.py GAPI_BIN ENDPOINT [--read-only]
Each step's result goes into one JSON object on stdout; the Rust test asserts on it.
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


def result(r):
    return {
        "is_error": bool(field(r, "is_error", "isError")),
        "structured": field(r, "structured_content", "structuredContent"),
        "text": r.content[0].text if r.content else None,
    }


async def main():
    gapi, endpoint, *flags = sys.argv[1:]
    # The SDK passes only a few variables to the server; gapi's own must be handed on.
    env = {k: v for k, v in os.environ.items() if k.startswith(("GAPI_", "CLOUDSDK_"))}
    params = StdioServerParameters(command=gapi, args=["mcp", "--endpoint", endpoint, *flags], env=env)
    out = {}
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            out["server"] = field(init, "server_info", "serverInfo").name
            tools = await session.list_tools()
            out["tools"] = sorted(t.name for t in tools.tools)
            out["search"] = result(await session.call_tool("search_methods", {"query": "drive files list", "limit": 3}))
            out["describe"] = result(await session.call_tool("describe_method", {"api": "drive", "method": "files.create"}))
            out["list"] = result(await session.call_tool(
                "call_method", {"api": "drive", "method": "files.list", "params": {"pageSize": 2}}))
            out["pages"] = result(await session.call_tool(
                "call_method", {"api": "drive", "method": "files.list",
                                "params": {"pageSize": 1, "fields": "files(id),nextPageToken"}, "page_all": True}))
            out["missing"] = result(await session.call_tool(
                "call_method", {"api": "drive", "method": "files.get", "params": {"fileId": "no-such-file"}}))
            out["bad_body"] = result(await session.call_tool(
                "call_method", {"api": "drive", "method": "files.create", "body": {"nmae": "x"}}))
            out["delete"] = result(await session.call_tool(
                "call_method", {"api": "drive", "method": "files.delete", "params": {"fileId": "x"}}))
    print(json.dumps(out))


asyncio.run(main())
