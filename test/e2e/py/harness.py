"""Starts a freshly built cogito binary for a test module.

A free loopback port, a temporary data directory and --test-mode; waits for
/_cogito/health and stops the process (removing the directory) afterwards.
The binary is $COGITO_BIN, else bin/cogito at the repository root, built with
`go build` when missing.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import json
import urllib.parse
import urllib.request
import uuid

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
REGION = "us-east-1"
ACCESS_KEY = "AKIDCOGITOE2E"
SECRET_KEY = "cogito-e2e-secret-key"

# Operations Cogito does not serve yet: tests needing them are skipped with
# this reason. Empty once everything these tests use is served.
NOT_IMPLEMENTED = {}


def needs(*ops):
    """Decorator args for unittest.skipIf: (condition, reason)."""
    for op in ops:
        if op in NOT_IMPLEMENTED:
            return True, f"{op} is not implemented in Cogito yet ({NOT_IMPLEMENTED[op]})"
    return False, ""


def cogito_binary():
    env = os.environ.get("COGITO_BIN")
    binary = os.path.abspath(env) if env else os.path.join(REPO_ROOT, "bin", "cogito")
    if not os.path.exists(binary):
        subprocess.run(["go", "build", "-o", binary, "./cmd/cogito"], cwd=REPO_ROOT, check=True)
    return binary


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def uniq(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class Cogito:
    """One running server."""

    def __init__(self, extra_args=()):
        binary = cogito_binary()
        last = None
        for _ in range(3):  # another process may take the port between probe and bind
            self.port = _free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.data_dir = tempfile.mkdtemp(prefix="cogito-e2e-py-")
            self.log = tempfile.TemporaryFile()
            self.proc = subprocess.Popen(
                [binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--data-dir", self.data_dir,
                 "--test-mode", "--log-level", "warn", *extra_args],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log,
            )
            if self._wait_healthy():
                return
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.log.seek(0)
            last = self.log.read().decode(errors="replace")
            self.log.close()
            shutil.rmtree(self.data_dir, ignore_errors=True)
        raise RuntimeError(f"cogito did not become healthy:\n{last}")

    def _wait_healthy(self):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.url + "/_cogito/health", timeout=2) as r:
                    if r.status == 200:
                        return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def client(self, service="cognito-idp", validate=True, endpoint=None, access_key=ACCESS_KEY, secret_key=SECRET_KEY):
        return boto3.session.Session().client(
            service,
            endpoint_url=endpoint or self.url,
            region_name=REGION,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(retries={"total_max_attempts": 1}, parameter_validation=validate),
        )

    def outbox(self, pool_id, username):
        """Messages to a user (internal username) of a pool, oldest first."""
        q = urllib.parse.urlencode({"userPoolId": pool_id, "username": username})
        with urllib.request.urlopen(f"{self.url}/_cogito/messages?{q}", timeout=10) as r:
            return json.load(r)["messages"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)
