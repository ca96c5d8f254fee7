"""A process that imports the `jointfund` command once and forks a child per command line.

Run as `python cli_zygote.py`. It prints "ready"; then for each JSON argv list read from stdin
it forks a child that runs `jointfund.cli.app.main(argv)` exactly as the console script does
(output to /dev/null), prints "pid <pid>", waits for the child and prints "exit <pid> <code>"
(a negative code is the signal that ended it). Forking skips the two seconds of imports each
`jointfund` start costs, so one zygote serves hundreds of kill points.
"""

from __future__ import annotations

import json
import os
import sys

from jointfund.cli.app import main


def _child(argv: list[str]) -> None:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    try:
        code = main(argv)
    except BaseException:
        code = 1
    os._exit(code)


def serve() -> None:
    """Fork one child per argv line until stdin closes."""
    print("ready", flush=True)
    for line in sys.stdin:
        argv = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(argv)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        print(f"exit {pid} {code}", flush=True)


if __name__ == "__main__":
    serve()
