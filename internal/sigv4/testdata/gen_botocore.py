#!/usr/bin/env python3
"""Record requests signed by botocore, for the Go tests of internal/sigv4.

Run once from this directory (python3 gen_botocore.py); it rewrites
botocore/*.http and botocore/cases.json. The Go tests read those files and
need no Python. The signing time is fixed, so the output only changes when
botocore's signer does.

Two ways of signing are recorded:
  * real boto3 clients (cognito-idp, cognito-identity) whose requests are
    caught at the 'before-send' hook, i.e. exactly what would go on the wire;
  * botocore.auth.SigV4Auth / SigV4QueryAuth applied by hand to an AWSRequest,
    for cases the clients do not produce (a signed Content-Length header, an
    odd path, a presigned URL).
"""

import datetime
import json
import os
from urllib.parse import urlsplit

import boto3
import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

NOW = datetime.datetime(2026, 3, 1, 12, 0, 0)  # naive UTC, as botocore uses
ENDPOINT = "http://localhost:9229"
ACCESS_KEY = "AKIACOGITOEXAMPLE001"
SECRET_KEY = "cogito/secret/EXAMPLEKEY+0123456789abcdef"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN//////////wEaCXVzLWVhc3QtMSJGMEQCIC=="
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "botocore")

botocore.auth.get_current_datetime = lambda remove_tzinfo=True: NOW


def raw_request(method, url, headers, body):
    """Serialise a request as http.client would send it: Host first."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
    for k, v in headers.items():
        if k.lower() == "host":
            continue
        if isinstance(v, bytes):
            v = v.decode()
        lines.append(f"{k}: {v}")
    if body and not any(k.lower() == "content-length" for k in headers):
        lines.append(f"Content-Length: {len(body)}")
    if isinstance(body, str):
        body = body.encode()
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


cases = []


def record(name, service, raw, note):
    path = os.path.join(OUT, name + ".http")
    with open(path, "wb") as f:
        f.write(raw)
    cases.append({
        "file": name + ".http",
        "service": service,
        "now": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "note": note,
    })


def client_request(name, service, region, call, token=None, note=""):
    session = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        aws_session_token=token,
        region_name=region,
    )
    client = session.client(service, endpoint_url=ENDPOINT)
    seen = {}

    def before_send(request, **kwargs):
        seen["raw"] = raw_request(request.method, request.url, dict(request.headers), request.body)
        return AWSResponse(request.url, 200, {"Content-Type": "application/x-amz-json-1.1"},
                           _Raw(b"{}"))

    client.meta.events.register("before-send", before_send)
    call(client)
    record(name, service, seen["raw"], note)


class _Raw:
    def __init__(self, data):
        self._data = data

    def stream(self, **kwargs):
        yield self._data


def hand_signed(name, service, region, method, url, headers, body, note, query=False, token=None):
    creds = Credentials(ACCESS_KEY, SECRET_KEY, token)
    req = AWSRequest(method=method, url=url, headers=headers, data=body)
    if query:
        botocore.auth.SigV4QueryAuth(creds, service, region, expires=300).add_auth(req)
    else:
        botocore.auth.SigV4Auth(creds, service, region).add_auth(req)
    record(name, service, raw_request(req.method, req.url, dict(req.headers), body), note)


def main():
    os.makedirs(OUT, exist_ok=True)

    client_request(
        "idp-list-user-pools", "cognito-idp", "us-east-1",
        lambda c: c.list_user_pools(MaxResults=10),
        note="boto3 cognito-idp client, ListUserPools")
    client_request(
        "identity-list-identity-pools-token", "cognito-identity", "eu-west-1",
        lambda c: c.list_identity_pools(MaxResults=5), token=SESSION_TOKEN,
        note="boto3 cognito-identity client with a session token")

    body = json.dumps({"UserPoolId": "us-east-1_EXAMPLE", "Username": "alice"})
    hand_signed(
        "idp-admin-get-user-content-length", "cognito-idp", "us-west-2", "POST", ENDPOINT + "/",
        {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.AdminGetUser",
            "Content-Length": str(len(body)),
        },
        body, note="SigV4Auth with Content-Length present, hence signed")
    hand_signed(
        "idp-odd-path", "cognito-idp", "ap-southeast-2", "POST", ENDPOINT + "/amplify/some%20dir/./x//y",
        {
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.ListUserPools",
            "X-Custom":  "  a   b  ",
        },
        json.dumps({"MaxResults": 1}),
        note="SigV4Auth on a path with an escaped space, a dot segment and a double slash")
    hand_signed(
        "idp-presigned", "cognito-idp", "us-east-1", "GET", ENDPOINT + "/?Extra=a%20b&Action=x",
        {}, b"", note="SigV4QueryAuth (presigned URL), expires 300", query=True, token=SESSION_TOKEN)

    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({
            "generator": "gen_botocore.py, botocore " + botocore.__version__,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "cases": cases,
        }, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
