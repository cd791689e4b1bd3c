"""moto 5.2.5 in server mode, extended so that ml-provisioner's generated templates deploy and the
CLI's end-to-end tests can run against it. See README.md beside this file.

    $TOOLS_MOTO_PYTHON tests/moto/launcher.py -H 127.0.0.1 -p 0 [--log-requests] [--no-stdin-watch]

Prints exactly one line on stdout once the socket is bound, then nothing else there:

    moto-launcher: listening on http://127.0.0.1:PORT

(stderr has a start-up line, moto's rare warnings and, with --log-requests, werkzeug's line per
request: a parent that pipes stderr must read it, or pass it through or to /dev/null; the request
log endpoint, GET /_ml_provisioner/requests, is the way to see requests). Exits when its
standard input reaches end of file (its parent closed the pipe or died) or on SIGTERM/SIGINT;
with --no-stdin-watch only on a signal. Refuses to start (exit code 3) with any moto but 5.2.5:
the extensions patch moto's internals.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time

MOTO_VERSION = "5.2.5"
LAUNCHER_VERSION = "1"
READY_PREFIX = "moto-launcher: listening on "


def _check_moto_version() -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("moto")
    except PackageNotFoundError:
        found = None
    if found != MOTO_VERSION:
        sys.stderr.write(
            f"moto-launcher: needs moto {MOTO_VERSION} exactly (its extensions patch moto's internals), "
            f"found {found or 'no moto'} in {sys.executable}; install the pinned venv with scripts/tools.sh\n"
        )
        sys.exit(3)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="launcher.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("-H", "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=0, help="port; 0 (the default) picks a free one")
    parser.add_argument("--log-requests", action="store_true", help="werkzeug's line per request on stderr")
    parser.add_argument(
        "--no-stdin-watch", action="store_true",
        help="do not exit when stdin closes (for a run by hand with stdin at /dev/null)",
    )
    return parser.parse_args(argv)


# Test-only: parts left out, comma-separated (check_launcher.py --disable shows that a check
# catches each one's absence). Names: "types", "drift", "metering", "requests" and those of
# mlp_moto/cfn_fixes.py (PATCHES, SWITCHES). Never set it otherwise.
DISABLE_VARIABLE = "ML_PROVISIONER_MOTO_DISABLE"


def extend(disabled: set[str] = frozenset()) -> None:
    """Everything the launcher adds to moto, in this process (also usable from a test)."""
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    from mlp_moto import cfn_fixes, drift, metering

    known = {"types", "drift", "metering", "requests", *cfn_fixes.PATCHES, *cfn_fixes.SWITCHES}
    unknown = set(disabled) - known
    if unknown:
        sys.stderr.write(f"moto-launcher: {DISABLE_VARIABLE}: unknown {sorted(unknown)}; known: {sorted(known)}\n")
        sys.exit(2)
    if "types" not in disabled:
        from mlp_moto import cfn_resources  # defining the classes is what registers them

        cfn_resources.register()
    cfn_fixes.apply(set(disabled) - {"types", "drift", "metering", "requests"})
    if "drift" not in disabled:
        drift.apply()
    if "metering" not in disabled:
        metering.apply()


def main(argv: list[str] | None = None) -> None:
    args = _parse(sys.argv[1:] if argv is None else argv)
    _check_moto_version()
    started = time.monotonic()

    # moto reads these when imported: its server mode, and where its self-calls go.
    os.environ.setdefault("MOTO_PORT", str(args.port))
    disabled = {n for n in os.environ.get(DISABLE_VARIABLE, "").split(",") if n}
    extend(disabled)
    if disabled:
        sys.stderr.write(f"moto-launcher: left out for a test: {', '.join(sorted(disabled))}\n")

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    from mlp_moto import control

    control.HEALTH.update({"moto": MOTO_VERSION, "launcher": LAUNCHER_VERSION})
    if not args.log_requests:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(
        args.host, args.port, app if "requests" in disabled else control.Control(app),
        threaded=True, request_handler=MotoRequestHandler,
    )
    port = server.socket.getsockname()[1]
    os.environ["MOTO_PORT"] = str(port)
    host = f"[{args.host}]" if ":" in args.host else args.host

    def stop(*_: object) -> None:
        os._exit(0)  # the server thread holds no state worth a clean shutdown

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    sys.stdout.write(f"{READY_PREFIX}http://{host}:{port}\n")
    sys.stdout.flush()
    # From here on stdout carries nothing else (moto prints some warnings with print()).
    sys.stdout = sys.stderr
    sys.stderr.write(f"moto-launcher: moto {MOTO_VERSION} extended, ready in {time.monotonic() - started:.2f} s\n")
    sys.stderr.flush()

    threading.Thread(target=server.serve_forever, name="moto-server", daemon=True).start()
    if args.no_stdin_watch:
        while True:
            time.sleep(3600)
    try:
        while os.read(0, 65536):
            pass
    except OSError:
        pass
    sys.stderr.write("moto-launcher: stdin closed, exiting\n")
    sys.stderr.flush()
    stop()


if __name__ == "__main__":
    main()
