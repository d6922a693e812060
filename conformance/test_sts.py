"""Temporary (STS) credentials: `oss serve --sts-credentials FILE` accepts the AccessKeyId/secret
pairs of an STS `Credentials` list only together with their security token, until they expire.
Both SDKs send the token their own way (oss2 `StsAuth`, v2 `StaticCredentialsProvider(...,
security_token)`): in `x-oss-security-token` for header signatures, in `security-token` (V1) or
`x-oss-security-token` (V4) for presigned URLs."""

import datetime
import json

import alibabacloud_oss_v2 as oss
import oss2
import pytest
import requests

from oss_conformance import REGION, assert_crc_header, crc64, expect_failure, random_bytes, start_server

BUCKET = "sts-bucket"
VALID = {"AccessKeyId": "STS.conformance", "AccessKeySecret": "sts-secret", "SecurityToken": "CAIS+sts/token=="}
EXPIRED = {"AccessKeyId": "STS.expired", "AccessKeySecret": "old-secret", "SecurityToken": "CAIS+old"}


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def sts_endpoint(server_binary, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sts")
    now = datetime.datetime.now(datetime.timezone.utc)
    path = folder / "sts.json"
    path.write_text(json.dumps([
        dict(VALID, Expiration=iso(now + datetime.timedelta(hours=1))),
        dict(EXPIRED, Expiration=iso(now - datetime.timedelta(minutes=5))),
    ]))
    process = start_server(server_binary, folder / "data", [BUCKET], extra_args=["--sts-credentials", str(path)])
    yield process.endpoint
    process.stop()


class Client:
    """One SDK with one signature version and a given (id, secret, token)."""

    def __init__(self, sdk, version, endpoint, key_id, secret, token):
        self.sdk = sdk
        if sdk == "oss2":
            auth = oss2.StsAuth(key_id, secret, token, auth_version="v4" if version == "v4" else "v1") if token \
                else (oss2.AuthV4(key_id, secret) if version == "v4" else oss2.Auth(key_id, secret))
            self.bucket = oss2.Bucket(auth, endpoint, BUCKET, region=REGION, connect_timeout=30)
        else:
            cfg = oss.config.load_default()
            cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(key_id, secret, security_token=token)
            cfg.region, cfg.endpoint, cfg.use_path_style, cfg.signature_version = REGION, endpoint, True, version
            cfg.retry_max_attempts = 1
            self.client = oss.Client(cfg)

    def put(self, key, data):
        if self.sdk == "oss2":
            return self.bucket.put_object(key, data).headers.get("x-oss-hash-crc64ecma")
        return self.client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=data)).hash_crc64

    def get(self, key):
        if self.sdk == "oss2":
            return self.bucket.get_object(key).read()
        return self.client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key)).body.read()

    def presign_get(self, key):
        if self.sdk == "oss2":
            return self.bucket.sign_url("GET", key, 600)
        return self.client.presign(oss.GetObjectRequest(bucket=BUCKET, key=key)).url


FLAVORS = [("oss2", "v1"), ("oss2", "v4"), ("v2", "v1"), ("v2", "v4")]


@pytest.mark.parametrize("sdk,version", FLAVORS)
def test_sts_credentials_work_with_their_token(sts_endpoint, sdk, version):
    client = Client(sdk, version, sts_endpoint, VALID["AccessKeyId"], VALID["AccessKeySecret"], VALID["SecurityToken"])
    key = f"sts/{sdk}-{version}.bin"
    data = random_bytes(150_000)
    assert_crc_header(client.put(key, data), crc64(data))
    assert client.get(key) == data
    url = client.presign_get(key)
    assert ("security-token=" if version == "v1" else "x-oss-security-token=") in url
    fetched = requests.get(url, timeout=30)
    assert fetched.status_code == 200, fetched.text
    assert fetched.content == data


@pytest.mark.parametrize("sdk,version", FLAVORS)
def test_sts_credentials_without_the_right_token_are_refused(sts_endpoint, sdk, version):
    key_id, secret = VALID["AccessKeyId"], VALID["AccessKeySecret"]
    missing = Client(sdk, version, sts_endpoint, key_id, secret, None)
    expect_failure(lambda: missing.put("sts/refused", b"x"), 403, "InvalidSecurityToken")
    forged = Client(sdk, version, sts_endpoint, key_id, secret, "CAIS+forged")
    expect_failure(lambda: forged.put("sts/refused", b"x"), 403, "InvalidSecurityToken")
    expired = Client(sdk, version, sts_endpoint, EXPIRED["AccessKeyId"], EXPIRED["AccessKeySecret"], EXPIRED["SecurityToken"])
    expect_failure(lambda: expired.put("sts/refused", b"x"), 403, "SecurityTokenExpired")
    # A presigned URL from expired credentials is refused too, whoever uses it.
    assert requests.get(expired.presign_get("sts/anything"), timeout=30).status_code == 403
    good = Client(sdk, version, sts_endpoint, key_id, secret, VALID["SecurityToken"])
    expect_failure(lambda: good.get("sts/refused"), 404, "NoSuchKey")
