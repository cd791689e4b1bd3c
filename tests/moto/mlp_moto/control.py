"""The launcher's test-only endpoints and its request log: a WSGI layer in front of moto's app.

  GET  /_ml_provisioner/requests[?account=123456789012][&since=N]
       200, a JSON list of the requests moto answered (oldest first), each
       {"seq": N, "time": ISO-8601 UTC, "method": "POST", "path": "/", "query": "...",
        "service": signing name or null, "region": ... or null,
        "target": X-Amz-Target or null, "action": form/query Action or null,
        "operation": target's part after the dot, else action, else null,
        "account": 12 digits or null, "status": HTTP status}
       `account` keeps only that account's requests, `since` only those with seq > N.
  POST /_ml_provisioner/requests/reset   body {} (all) or {"account": "..."} (only that
       account's); 200 {"cleared": n}
  GET  /_ml_provisioner/metering          200 {"default": "entitled", "accounts": {...}}
  POST /_ml_provisioner/metering          body {"account": "123456789012", "state":
       "entitled" | "not-subscribed" | "not-entitled"}; 200 {"account": ..., "state": ...},
       400 {"error": ...} for anything else
  GET  /_ml_provisioner/health            200 {"moto": "5.2.5", "launcher": ...}

Neither these endpoints nor moto's own /moto-api/ calls are logged. moto's POST
/moto-api/reset also resets the metering states (to entitled); the log is kept.
The account of a request is moto's: that of its access key (AssumeRole credentials carry the
role's account), else moto's default 123456789012; null when the request is not signed.
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import os
import re
import threading
from typing import Any, Callable
from urllib.parse import parse_qs

from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam.models import get_account_id_from

from mlp_moto import metering

PREFIX = "/_ml_provisioner/"
_CREDENTIAL = re.compile(r"Credential=([^/]+)/[^/]+/([^/]+)/([^/]+)/aws4_request")

HEALTH: dict[str, str] = {}  # filled in by the launcher

_lock = threading.Lock()
_log: list[dict[str, Any]] = []
_seq = itertools.count(1)


def _json_response(start_response: Callable, status: int, value: Any) -> list[bytes]:
    body = json.dumps(value).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)  # moto reads it again
    return body


def _account_of(environ: dict[str, Any], access_key: str | None) -> str | None:
    # moto's own order (BaseResponse.get_current_account): MOTO_ACCOUNT_ID, the
    # x-moto-account-id header, the access key's account, its default account.
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    if environ.get("HTTP_X_MOTO_ACCOUNT_ID"):
        return environ["HTTP_X_MOTO_ACCOUNT_ID"]
    if not access_key:
        return None
    return get_account_id_from(access_key) or DEFAULT_ACCOUNT_ID


def _entry(environ: dict[str, Any]) -> dict[str, Any]:
    auth = environ.get("HTTP_AUTHORIZATION", "")
    query = environ.get("QUERY_STRING", "")
    match = _CREDENTIAL.search(auth)
    access_key = match.group(1) if match else (parse_qs(query).get("X-Amz-Credential", [""])[0].split("/")[0] or None)
    action = parse_qs(query).get("Action", [None])[0]
    if action is None and environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        action = parse_qs(_read_body(environ).decode("utf-8", "replace")).get("Action", [None])[0]
    target = environ.get("HTTP_X_AMZ_TARGET")
    return {
        "seq": next(_seq),
        "time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds"),
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),
        "query": query,
        "service": match.group(3) if match else None,
        "region": match.group(2) if match else None,
        "target": target,
        "action": action,
        "operation": target.rsplit(".", 1)[-1] if target else action,
        "account": _account_of(environ, access_key),
        "status": None,
    }


def _control(environ: dict[str, Any], start_response: Callable) -> list[bytes]:
    path = environ.get("PATH_INFO", "")[len(PREFIX):].rstrip("/")
    method = environ.get("REQUEST_METHOD")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    try:
        body = json.loads(_read_body(environ) or b"{}") if method == "POST" else {}
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
    except ValueError as error:
        return _json_response(start_response, 400, {"error": f"bad JSON body: {error}"})

    if path == "requests" and method == "GET":
        account = query.get("account", [None])[0]
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            return _json_response(start_response, 400, {"error": "since must be a number (a seq)"})
        with _lock:
            entries = [dict(e) for e in _log if e["seq"] > since and (account is None or e["account"] == account)]
        return _json_response(start_response, 200, entries)
    if path == "requests/reset" and method == "POST":
        account = body.get("account")
        with _lock:
            kept = [e for e in _log if account is not None and e["account"] != account]
            cleared = len(_log) - len(kept)
            _log[:] = kept
        return _json_response(start_response, 200, {"cleared": cleared})
    if path == "metering" and method == "GET":
        return _json_response(start_response, 200, {"default": metering.DEFAULT_STATE, "accounts": metering.states()})
    if path == "metering" and method == "POST":
        try:
            metering.set_state(body.get("account"), body.get("state"))
        except ValueError as error:
            return _json_response(start_response, 400, {"error": str(error)})
        return _json_response(start_response, 200, {"account": body["account"], "state": body["state"]})
    if path == "health" and method == "GET":
        return _json_response(start_response, 200, HEALTH)
    if path in ("requests", "requests/reset", "metering", "health"):
        return _json_response(start_response, 405, {"error": f"{method} not allowed on {PREFIX}{path}"})
    return _json_response(start_response, 404, {"error": f"no test endpoint {PREFIX}{path}"})


class Control:
    """WSGI middleware: the test endpoints, else log the request and hand it to moto."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX):
            return _control(environ, start_response)
        if path.startswith("/moto-api"):
            if path.rstrip("/") == "/moto-api/reset" and environ.get("REQUEST_METHOD") == "POST":
                metering.reset()
            return self.app(environ, start_response)
        entry = _entry(environ)
        with _lock:
            _log.append(entry)

        def logged_start_response(status: str, headers: Any, *args: Any) -> Any:
            entry["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, *args)

        return self.app(environ, logged_start_response)
