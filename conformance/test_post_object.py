"""PostObject (spec §3.8) as a browser submits it: a plain `multipart/form-data` POST made with
`requests` (no SDK implements PostObject), signed with V1 or V4 policy signatures computed here
with hmac/hashlib, then read back through both SDKs with their CRC-64 checks on.
"""

import base64
import datetime
import hashlib
import hmac
import json
import xml.etree.ElementTree as ET

import pytest
import requests

from oss_conformance import REGION, assert_crc_header, crc64, expect_failure, md5_hex, norm_etag, random_bytes


def _policy(conditions, lifetime=3600):
    expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=lifetime)
    document = {"expiration": expiration.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "conditions": conditions}
    return base64.b64encode(json.dumps(document).encode()).decode()


def _v1_fields(credentials, conditions, lifetime=3600):
    policy = _policy(conditions, lifetime)
    signature = base64.b64encode(
        hmac.new(credentials.access_key_secret.encode(), policy.encode(), hashlib.sha1).digest()).decode()
    return {"policy": policy, "OSSAccessKeyId": credentials.access_key_id, "Signature": signature}


def _v4_fields(credentials, conditions):
    now = datetime.datetime.now(datetime.timezone.utc)
    timestamp = now.strftime("%Y%m%dT%H%M%SZ")
    day = timestamp[:8]
    credential = f"{credentials.access_key_id}/{day}/{REGION}/oss/aliyun_v4_request"
    policy = _policy(conditions + [{"x-oss-signature-version": "OSS4-HMAC-SHA256"}, {"x-oss-credential": credential},
                                   {"x-oss-date": timestamp}])

    def mac(key, message):
        return hmac.new(key, message.encode(), hashlib.sha256).digest()

    key = mac(mac(mac(mac(("aliyun_v4" + credentials.access_key_secret).encode(), day), REGION), "oss"),
              "aliyun_v4_request")
    return {"policy": policy, "x-oss-signature-version": "OSS4-HMAC-SHA256", "x-oss-credential": credential,
            "x-oss-date": timestamp, "x-oss-signature": hmac.new(key, policy.encode(), hashlib.sha256).hexdigest()}


def _post(endpoint, bucket, fields, filename, data, content_type="application/octet-stream"):
    # requests writes the data fields first and the file last, as a browser's form does.
    return requests.post(f"{endpoint}/{bucket}/", data=fields, files={"file": (filename, data, content_type)},
                         allow_redirects=False, timeout=60)


def _error_code(response):
    return ET.fromstring(response.content).findtext("Code")


@pytest.mark.parametrize("signature", ["v1", "v4"])
def test_signed_form_upload_read_back_by_every_sdk(endpoint, credentials, bucket, key_prefix, flavor, signature):
    data = random_bytes(1024 * 1024 + 11)
    conditions = [{"bucket": bucket}, ["content-length-range", 1, 10 * 1024 * 1024],
                  ["starts-with", "$key", key_prefix]]
    signed = _v1_fields(credentials, conditions) if signature == "v1" else _v4_fields(credentials, conditions)
    fields = {"key": key_prefix + "${filename}", "Content-Type": "image/png", "x-oss-meta-origin": "browser",
              **signed}
    response = _post(endpoint, bucket, fields, "upload.png", data)
    assert response.status_code == 204, response.text
    assert_crc_header(response.headers.get("x-oss-hash-crc64ecma"), crc64(data), "PostObject x-oss-hash-crc64ecma")
    assert norm_etag(response.headers.get("ETag")) == md5_hex(data)
    assert response.headers.get("x-oss-request-id")

    got = flavor.get(bucket, key_prefix + "upload.png")
    assert got.body == data
    assert_crc_header(got.crc, crc64(data))
    assert got.header("content-type") == "image/png"
    assert got.header("x-oss-meta-origin") == "browser"


def test_success_action_status_201_and_redirect(endpoint, credentials, bucket, key_prefix):
    data = b"status document"
    fields = {"key": key_prefix + "created", "success_action_status": "201", **_v1_fields(credentials, [])}
    response = _post(endpoint, bucket, fields, "f.txt", data)
    assert response.status_code == 201
    document = ET.fromstring(response.content)
    assert document.tag == "PostResponse"
    assert document.findtext("Bucket") == bucket
    assert document.findtext("Key") == key_prefix + "created"
    assert norm_etag(document.findtext("ETag")) == md5_hex(data)
    assert_crc_header(response.headers.get("x-oss-hash-crc64ecma"), crc64(data))

    fields = {"key": key_prefix + "redirected", "success_action_redirect": "http://example.com/done",
              **_v1_fields(credentials, [])}
    response = _post(endpoint, bucket, fields, "f.txt", data)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("http://example.com/done?bucket=" + bucket + "&key=")


def test_policy_violations_store_nothing(endpoint, credentials, bucket, key_prefix, admin):
    cases = [
        ({"key": "elsewhere/x"}, [["starts-with", "$key", key_prefix]], b"x"),
        ({"key": key_prefix + "big"}, [["content-length-range", 1, 10]], b"eleven bytes"),
        ({"key": key_prefix + "type", "Content-Type": "text/html"}, [["in", "$content-type", ["image/png"]]], b"x"),
    ]
    for extra, conditions, data in cases:
        response = _post(endpoint, bucket, {**extra, **_v1_fields(credentials, conditions)}, "f", data)
        assert response.status_code == 403, extra
        assert _error_code(response) == "AccessDenied"
    expired = _post(endpoint, bucket, {"key": key_prefix + "late", **_v1_fields(credentials, [], lifetime=-60)}, "f", b"x")
    assert (expired.status_code, _error_code(expired)) == (403, "AccessDenied")
    wrong = _v1_fields(credentials, [])
    wrong["Signature"] = base64.b64encode(b"0" * 20).decode()
    mismatch = _post(endpoint, bucket, {"key": key_prefix + "forged", **wrong}, "f", b"x")
    assert (mismatch.status_code, _error_code(mismatch)) == (403, "SignatureDoesNotMatch")
    listed = admin.list_v1(bucket, prefix=key_prefix)
    assert listed.keys == []


def test_anonymous_form_needs_a_public_read_write_bucket(endpoint, fresh_bucket, admin, key_prefix):
    data = random_bytes(5000)
    refused = _post(endpoint, fresh_bucket, {"key": "anonymous.bin"}, "a.bin", data)
    assert (refused.status_code, _error_code(refused)) == (403, "AccessDenied")
    admin.bucket(fresh_bucket).put_bucket_acl("public-read-write")
    accepted = _post(endpoint, fresh_bucket, {"key": "anonymous.bin"}, "a.bin", data)
    assert accepted.status_code == 204
    assert_crc_header(accepted.headers.get("x-oss-hash-crc64ecma"), crc64(data))
    assert admin.get(fresh_bucket, "anonymous.bin").body == data


def test_malformed_forms(endpoint, credentials, bucket, key_prefix):
    long_field = {"key": key_prefix + "long", "x-oss-meta-long": "v" * 5000, **_v1_fields(credentials, [])}
    response = _post(endpoint, bucket, long_field, "f", b"x")
    assert (response.status_code, _error_code(response)) == (400, "FieldItemTooLong")
    not_multipart = requests.post(f"{endpoint}/{bucket}/", data=b"key=x", timeout=30,
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (not_multipart.status_code, _error_code(not_multipart)) == (400, "MalformedPOSTRequest")
