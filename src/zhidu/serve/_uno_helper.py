"""Runs under LibreOffice's Python (which has `uno`), not zhidu's: converts documents in a warm soffice.

Usage: python3 _uno_helper.py PORT START_SECONDS. Prints {"ready": true} once connected, then reads one JSON job
per line ({"in": docx path, "out": pdf path}) and answers each with {"ok": true} or {"ok": false, "error": …}.
Standard library and `uno` only: this file is not imported by zhidu.
"""

import json
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> Any:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def reply(value: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> None:
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + seconds
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except Exception as e:  # LibreOffice is still starting
            if time.monotonic() > deadline:
                reply({"ready": False, "error": str(e)})
                return
            time.sleep(0.1)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    reply({"ready": True})
    for line in sys.stdin:
        job = json.loads(line)
        try:
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(job["in"]),
                "_blank",
                0,
                (prop("Hidden", True), prop("ReadOnly", True)),
            )
            try:
                doc.storeToURL(
                    uno.systemPathToFileUrl(job["out"]), (prop("FilterName", "writer_pdf_Export"),)
                )
            finally:
                doc.close(True)
            reply({"ok": True})
        except Exception as e:
            reply({"ok": False, "error": str(e)})


main()
