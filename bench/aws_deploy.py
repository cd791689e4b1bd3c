"""deploy-product against the AWS CLI's `aws cloudformation deploy`, on the same template, against
the same local endpoint (tests/moto/launcher.py), measured in the same run.

    $TOOLS_MOTO_PYTHON bench/aws_deploy.py ML_PROVISIONER_BINARY [ROUNDS]

Each round deploys the starter example once with each tool, each time into a fresh account (STS
AssumeRole into a random account id), so every deploy creates its stack from nothing. It counts
the requests each deploy sent (the launcher's request log, by account) and times the whole
process (wall clock, from start to exit). Prints Markdown rows for BENCHMARKS.md: the median
wall time of each, their ratio and difference, and the requests. moto completes a stack
synchronously, so the numbers are the tools' own work and their polling, not AWS's.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EXAMPLE = "techcorp-dev-a001-us-west-2-customer-churn-ml-codecommit.yaml"


def start_launcher() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "tests/moto/launcher.py"), "-H", "127.0.0.1", "-p", "0"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    line = proc.stdout.readline()
    prefix = "moto-launcher: listening on "
    if not line.startswith(prefix):
        raise SystemExit(f"launcher did not start: {line!r}")
    return proc, line[len(prefix):].strip()


def credentials(url: str, account: str) -> dict[str, str]:
    import boto3

    sts = boto3.client("sts", endpoint_url=url, region_name="us-east-1",
                       aws_access_key_id="testing", aws_secret_access_key="testing")
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/bench", RoleSessionName="bench")["Credentials"]
    return {"AWS_ACCESS_KEY_ID": c["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": c["SecretAccessKey"],
            "AWS_SESSION_TOKEN": c["SessionToken"]}


def environment(url: str, account: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"AWS_ENDPOINT_URL": url, "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_DEFAULT_REGION": "us-west-2",
                "AWS_MAX_ATTEMPTS": "1", "NO_COLOR": "1"})
    env.update(credentials(url, account))
    return env


def requests_of(url: str, account: str) -> int:
    with urllib.request.urlopen(f"{url}/_ml_provisioner/requests?account={account}") as r:
        return len(json.load(r))


def timed(cmd: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    binary = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    aws = os.path.join(os.path.dirname(sys.executable), "aws")
    proc, url = start_launcher()
    ours, theirs, ours_calls, theirs_calls = [], [], [], []
    try:
        for _ in range(rounds):
            for tool in ("ml-provisioner", "aws"):
                account = str(random.randint(100_000_000_000, 899_999_999_999))
                env = environment(url, account)
                work = tempfile.mkdtemp()
                try:
                    os.makedirs(os.path.join(work, "ml/configs"))
                    text = open(os.path.join(ROOT, "examples/configs", EXAMPLE)).read()
                    text = text.replace('account_id: "222233335555"', f'account_id: "{account}"')
                    open(os.path.join(work, "ml/configs", EXAMPLE), "w").write(text)
                    # Both deploy the same template: generated here (not timed).
                    subprocess.run([binary, "-con", EXAMPLE, "-act", "create-prov-template"], cwd=work, env=env,
                                   check=True, capture_output=True)
                    stem = EXAMPLE[: -len(".yaml")]
                    template = os.path.join(work, "ml/templates", f"{stem}-template.yaml")
                    before = requests_of(url, account)
                    if tool == "ml-provisioner":
                        ours.append(timed([binary, "-con", EXAMPLE, "-act", "deploy-product", "--force"], env, work))
                        ours_calls.append(requests_of(url, account) - before)
                    else:
                        theirs.append(timed([aws, "cloudformation", "deploy", "--template-file", template,
                                             "--stack-name", "techcorp-dev-a001-us-west-2-customer-churn-ml-stack",
                                             "--capabilities", "CAPABILITY_NAMED_IAM"], env, work))
                        theirs_calls.append(requests_of(url, account) - before)
                finally:
                    shutil.rmtree(work, ignore_errors=True)
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
    o, t = statistics.median(ours), statistics.median(theirs)
    print(f"| deploy-product --force (starter, 18 resources) vs `aws cloudformation deploy` (AWS CLI {aws_version(aws)}), "
          f"median of {rounds}, wall clock | {o:.2f} s | {t:.2f} s | AWS CLI / ours = {t / o:.1f}; ours {o - t:+.2f} s |")
    print(f"| requests sent by one deploy | {statistics.median(ours_calls):.0f} | {statistics.median(theirs_calls):.0f} | "
          f"ours add the account check, the SSM parameters and the outputs printed at the end |")


def aws_version(aws: str) -> str:
    out = subprocess.run([aws, "--version"], capture_output=True, text=True).stdout.split()
    return out[0].split("/")[1] if out else "?"


if __name__ == "__main__":
    main()
