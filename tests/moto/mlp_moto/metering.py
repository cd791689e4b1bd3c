"""AWS Marketplace Metering RegisterUsage (awsJson1_1, X-Amz-Target AWSMPMeteringService.RegisterUsage),
which moto 5.2.5 answers with HTTP 500.

The answer depends on the calling account (moto's account of the request's access key: an
AssumeRole into arn:aws:iam::<12 digits>:role/x gives that account), whose state a test sets
through the launcher's test-only endpoint (control.py):
  entitled (the default)  200 {"PublicKeyRotationTimestamp": <epoch seconds>, "Signature": "<JWT-shaped>"}
  not-subscribed          400 {"__type": "CustomerNotSubscribedException", "message": ...}
  not-entitled            400 {"__type": "CustomerNotEntitledException", "message": ...}
A missing or empty ProductCode gives 400 InvalidProductCodeException, a missing or non-positive
PublicKeyVersion 400 InvalidPublicKeyVersionException (checked first, in that order).
The signature is not a real AWS signature: nothing can verify it.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from typing import Any

from moto.meteringmarketplace.responses import MarketplaceMeteringResponse

STATES = ("entitled", "not-subscribed", "not-entitled")
DEFAULT_STATE = "entitled"
ROTATION_TIMESTAMP = 1767225600  # 2026-01-01T00:00:00Z: when "the public key" was last rotated

_lock = threading.Lock()
_states: dict[str, str] = {}


def set_state(account: str, state: str) -> None:
    if state not in STATES:
        raise ValueError(f"state must be one of {', '.join(STATES)}, not {state!r}")
    if not (isinstance(account, str) and len(account) == 12 and account.isdigit()):
        raise ValueError(f"account must be 12 digits, not {account!r}")
    with _lock:
        _states[account] = state


def state_of(account: str) -> str:
    with _lock:
        return _states.get(account, DEFAULT_STATE)


def states() -> dict[str, str]:
    with _lock:
        return dict(_states)


def reset() -> None:
    with _lock:
        _states.clear()


# moto's BaseResponse.call_action takes a (body, headers) pair with the status in the headers.
def _error(code: str, message: str) -> tuple[str, dict[str, Any]]:
    headers = {"status": 400, "Content-Type": "application/x-amz-json-1.1", "X-Amzn-ErrorType": code}
    return json.dumps({"__type": code, "message": message}), headers


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()


def register_usage(self: Any) -> Any:
    try:
        body = json.loads(self.body or "{}")
    except ValueError:
        body = {}
    product_code = body.get("ProductCode")
    if not isinstance(product_code, str) or not product_code:
        return _error("InvalidProductCodeException", "ProductCode is required")
    version = body.get("PublicKeyVersion")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return _error("InvalidPublicKeyVersionException", "PublicKeyVersion must be a positive integer")
    account = self.current_account
    state = state_of(account)
    if state == "not-subscribed":
        return _error(
            "CustomerNotSubscribedException",
            f"Customer {account} is not subscribed to product {product_code}",
        )
    if state == "not-entitled":
        return _error(
            "CustomerNotEntitledException",
            f"Customer {account} is not entitled to product {product_code}",
        )
    payload = {
        "productCode": product_code,
        "publicKeyVersion": version,
        "customerIdentifier": account,
        "nonce": body.get("Nonce", ""),
        "issuedAt": int(time.time()),
    }
    signature = ".".join((_b64({"alg": "PS256", "typ": "JWT"}), _b64(payload), _b64({"moto": "unsigned"})))
    # RegisterUsageResult's members (botocore and the Rust SDK drop any other).
    answer = {"PublicKeyRotationTimestamp": ROTATION_TIMESTAMP, "Signature": signature}
    return json.dumps(answer), {"status": 200, "Content-Type": "application/x-amz-json-1.1"}


def apply() -> None:
    MarketplaceMeteringResponse.register_usage = register_usage
