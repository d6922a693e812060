"""Presigned URLs (spec §2.3, §2.5) from oss2 `sign_url` and v2 `presign`, in both signature
versions, used with plain `requests` as a browser or curl would: the bucket stays private, the
URL signature is what lets the request through."""

import requests

from oss_conformance import assert_crc_header, crc64, norm_etag, md5_hex, random_bytes


def test_presigned_put_then_get(flavor, bucket, key_prefix):
    key = key_prefix + "presigned dir/a+b.bin"
    data = random_bytes(200_000)
    url, headers = flavor.presign(bucket, "PUT", key, content_type="application/x-presigned")
    put = requests.put(url, data=data, headers=headers, timeout=60)
    assert put.status_code == 200, put.text
    assert_crc_header(put.headers.get("x-oss-hash-crc64ecma"), crc64(data))
    assert norm_etag(put.headers.get("ETag")) == md5_hex(data)

    url, headers = flavor.presign(bucket, "GET", key)
    got = requests.get(url, headers=headers, timeout=60)
    assert got.status_code == 200, got.text
    assert got.content == data
    assert_crc_header(got.headers.get("x-oss-hash-crc64ecma"), crc64(data))
    assert got.headers.get("Content-Type") == "application/x-presigned"

    # The same URL without its signature is an anonymous request to a private bucket.
    unsigned = requests.get(url.split("?")[0], timeout=30)
    assert unsigned.status_code == 403
    # A URL signed for GET does not allow a PUT.
    forged = requests.put(url, data=b"x", timeout=30)
    assert forged.status_code == 403
    assert flavor.get(bucket, key).body == data
