"""PutObject, GetObject (with ranges), HeadObject, GetObjectMeta, DeleteObject, DeleteMultipleObjects,
user metadata and Content-Type, with the CRC-64 header checked against crcmod on every write and read.

Each test runs for every SDK × signature flavor (oss2 V1/V4, v2 V4/V1) unless it says otherwise.
"""

import pytest

from oss_conformance import (
    assert_crc_header,
    crc64,
    md5_b64,
    md5_hex,
    norm_etag,
    expect_failure,
    random_bytes,
)

SIZES = [0, 1, 1000, 64 * 1024 + 7, 1024 * 1024 + 3]


@pytest.mark.parametrize("size", SIZES)
def test_put_get_round_trip_with_crc(flavor, bucket, key_prefix, size):
    data = random_bytes(size)
    key = key_prefix + f"object-{size}.bin"
    expected = crc64(data)

    put = flavor.put(bucket, key, data)
    assert put.status == 200
    assert_crc_header(put.crc, expected, "PutObject x-oss-hash-crc64ecma")
    assert norm_etag(put.etag) == md5_hex(data), "PutObject ETag must be the body's MD5 (upper-case hex)"
    assert put.header("etag") == '"' + md5_hex(data) + '"', "ETag header must be quoted upper-case hex"
    assert put.header("x-oss-request-id"), "every response carries x-oss-request-id"

    got = flavor.get(bucket, key)
    assert got.status == 200
    assert got.body == data
    assert crc64(got.body) == expected
    assert_crc_header(got.crc, expected, "GetObject x-oss-hash-crc64ecma")
    assert int(got.header("content-length")) == size
    assert norm_etag(got.etag) == md5_hex(data)


def test_get_to_file_checks_crc(flavor, bucket, key_prefix, tmp_path):
    """oss2 `get_object_to_file` and v2 `get_object_to_file` verify the body against the header."""
    data = random_bytes(300 * 1024)
    key = key_prefix + "to-file.bin"
    flavor.put(bucket, key, data)
    target = tmp_path / "out.bin"
    got = flavor.get_to_file(bucket, key, target)
    assert target.read_bytes() == data
    assert_crc_header(got.crc, crc64(data))


def test_overwrite_replaces_content_and_crc(flavor, bucket, key_prefix):
    key = key_prefix + "overwrite"
    first, second = random_bytes(5000), random_bytes(123)
    flavor.put(bucket, key, first)
    put = flavor.put(bucket, key, second)
    assert_crc_header(put.crc, crc64(second))
    got = flavor.get(bucket, key)
    assert got.body == second
    assert_crc_header(got.crc, crc64(second))


def test_unusual_keys(flavor, bucket, key_prefix):
    """Keys with spaces, `+`, `%`, `~`, UTF-8, a trailing slash and `//` (spec §1.2)."""
    for suffix in ["a b/c+d%e~f中.txt", "dir/", "x//y", "percent%2Fslash", "sp ace+plus"]:
        key = key_prefix + suffix
        data = suffix.encode() * 3
        put = flavor.put(bucket, key, data)
        assert_crc_header(put.crc, crc64(data), f"PUT {key!r}")
        got = flavor.get(bucket, key)
        assert got.body == data, f"GET {key!r} returned other content"
        assert_crc_header(got.crc, crc64(data), f"GET {key!r}")
    listing = flavor.list_v1(bucket, prefix=key_prefix, max_keys=1000)
    assert sorted(listing.keys) == sorted(key_prefix + s for s in
                                          ["a b/c+d%e~f中.txt", "dir/", "x//y", "percent%2Fslash", "sp ace+plus"])


# ---------------------------------------------------------------------------------------------
# Ranges (spec §3.6): 206 with Content-Range, and the WHOLE object's CRC on a ranged GET.

OBJECT_SIZE = 1000

VALID_RANGES = [
    # (Range header, first, last) — inclusive byte positions of the expected slice
    ("bytes=0-99", 0, 99),
    ("bytes=100-199", 100, 199),
    ("bytes=990-999", 990, 999),
    ("bytes=0-0", 0, 0),
    ("bytes=500-", 500, 999),
    ("bytes=0-", 0, 999),
    ("bytes=-100", 900, 999),
    ("bytes=-1", 999, 999),
    ("bytes=-1000", 0, 999),
]


@pytest.fixture
def ranged_object(flavor, bucket, key_prefix):
    data = random_bytes(OBJECT_SIZE)
    key = key_prefix + "ranged.bin"
    flavor.put(bucket, key, data)
    return key, data


@pytest.mark.parametrize("range_header,first,last", VALID_RANGES)
def test_ranged_get(flavor, bucket, ranged_object, range_header, first, last):
    key, data = ranged_object
    got = flavor.get(bucket, key, range_header=range_header)
    assert got.status == 206, f"{range_header}: status {got.status}"
    assert got.body == data[first:last + 1]
    assert got.header("content-range") == f"bytes {first}-{last}/{OBJECT_SIZE}"
    assert int(got.header("content-length")) == last - first + 1
    # §4.3: a ranged GET reports the CRC of the whole object, not of the range.
    assert_crc_header(got.crc, crc64(data), f"{range_header}: x-oss-hash-crc64ecma")


@pytest.mark.parametrize("byte_range,first,last", [((10, 19), 10, 19), ((None, 10), 990, 999), ((995, None), 995, 999)])
def test_ranged_get_sdk_byte_range(flavor, bucket, ranged_object, byte_range, first, last):
    """The SDK-level range arguments (oss2 `byte_range`, v2 `range_header`)."""
    key, data = ranged_object
    got = flavor.get(bucket, key, byte_range=byte_range)
    assert got.status == 206
    assert got.body == data[first:last + 1]
    assert_crc_header(got.crc, crc64(data))


@pytest.mark.parametrize("range_header", ["bytes=1000-1100", "bytes=500-2000", "bytes=-2000", "bytes=1000-",
                                          "bytes=20-10", "bites=0-9"])
def test_invalid_range_is_ignored_by_default(flavor, bucket, ranged_object, range_header):
    """Without x-oss-range-behavior an invalid or unsatisfiable range is ignored: 200 and the whole object."""
    key, data = ranged_object
    got = flavor.get(bucket, key, range_header=range_header)
    assert got.status == 200, f"{range_header}: status {got.status}"
    assert got.body == data
    assert got.header("content-range") is None
    assert_crc_header(got.crc, crc64(data))


def test_standard_range_behavior(flavor, bucket, ranged_object):
    """`x-oss-range-behavior: standard`: an end past EOF is clamped (206), a start past EOF is 416."""
    key, data = ranged_object
    got = flavor.get(bucket, key, range_header="bytes=900-5000", range_behavior="standard")
    assert got.status == 206
    assert got.body == data[900:]
    assert got.header("content-range") == f"bytes 900-999/{OBJECT_SIZE}"
    assert_crc_header(got.crc, crc64(data))
    expect_failure(lambda: flavor.get(bucket, key, range_header="bytes=1000-1100", range_behavior="standard"),
                   416, "InvalidRange")


# ---------------------------------------------------------------------------------------------
# HEAD, GetObjectMeta


def test_head_object(flavor, bucket, key_prefix):
    data = random_bytes(4321)
    key = key_prefix + "head.bin"
    flavor.put(bucket, key, data)
    head = flavor.head(bucket, key)
    assert head.status == 200
    assert int(head.header("content-length")) == len(data), "HEAD Content-Length must be the object size"
    assert_crc_header(head.crc, crc64(data))
    assert norm_etag(head.etag) == md5_hex(data)
    assert head.header("x-oss-object-type") == "Normal"
    assert head.header("last-modified")
    assert head.header("accept-ranges") == "bytes"


def test_get_object_meta(flavor, bucket, key_prefix):
    data = random_bytes(2222)
    key = key_prefix + "meta.bin"
    flavor.put(bucket, key, data)
    meta = flavor.meta(bucket, key)
    assert meta.status == 200
    assert int(meta.header("content-length")) == len(data)
    assert_crc_header(meta.crc, crc64(data))
    assert norm_etag(meta.etag) == md5_hex(data)
    assert meta.header("last-modified")


def test_head_missing_key_is_nosuchkey_via_x_oss_err(flavor, bucket, key_prefix):
    """HEAD has no body: the error travels base64-encoded in `x-oss-err` (spec §3.1). Without it oss2
    could only raise a bare NotFound."""
    import oss2

    failure = expect_failure(lambda: flavor.head(bucket, key_prefix + "missing"), 404, "NoSuchKey")
    if flavor.sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.NoSuchKey


def test_get_object_meta_missing_key(flavor, bucket, key_prefix):
    expect_failure(lambda: flavor.meta(bucket, key_prefix + "missing"), 404, "NoSuchKey")


def test_head_missing_bucket_is_nosuchbucket(flavor):
    import oss2

    failure = expect_failure(lambda: flavor.head("no-such-bucket-conformance", "k"), 404, "NoSuchBucket")
    if flavor.sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.NoSuchBucket


def test_oss2_object_exists(oss2_flavor, bucket, key_prefix):
    """oss2's `object_exists` uses GetObjectMeta: false on NoSuchKey, raises on NoSuchBucket (§3.6)."""
    import oss2

    b = oss2_flavor.bucket(bucket)
    key = key_prefix + "exists"
    assert b.object_exists(key) is False
    b.put_object(key, b"x")
    assert b.object_exists(key) is True
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        oss2_flavor.bucket("no-such-bucket-conformance").object_exists("k")


# ---------------------------------------------------------------------------------------------
# Metadata and Content-Type


def test_metadata_and_content_type_round_trip(flavor, bucket, key_prefix):
    data = b"<jpeg bytes>"
    key = key_prefix + "photo.jpg"
    metadata = {"Author": "alice", "project": "swift-oss", "multi-word-name": "a value with spaces"}
    flavor.put(bucket, key, data, content_type="image/jpeg", metadata=metadata)
    for resp in (flavor.head(bucket, key), flavor.get(bucket, key)):
        assert resp.header("content-type") == "image/jpeg"
        # Names are stored and returned lower-cased (spec §3.1).
        assert resp.header("x-oss-meta-author") == "alice"
        assert resp.header("x-oss-meta-project") == "swift-oss"
        assert resp.header("x-oss-meta-multi-word-name") == "a value with spaces"
        assert_crc_header(resp.crc, crc64(data))
    if flavor.sdk == "v2":
        head = flavor.head(bucket, key).raw
        assert {k.lower(): v for k, v in head.metadata.items()} == {
            "author": "alice", "project": "swift-oss", "multi-word-name": "a value with spaces"}


def test_content_type_explicit_and_overwritten(flavor, bucket, key_prefix):
    key = key_prefix + "typed"
    flavor.put(bucket, key, b"{}", content_type="application/json")
    assert flavor.head(bucket, key).header("content-type") == "application/json"
    flavor.put(bucket, key, b"text", content_type="text/plain; charset=utf-8")
    assert flavor.head(bucket, key).header("content-type") == "text/plain; charset=utf-8"


def test_content_md5_accepted_when_right(flavor, bucket, key_prefix):
    data = b"hello, oss"
    put = flavor.put(bucket, key_prefix + "md5-ok", data, content_md5=md5_b64(data))
    assert put.status == 200
    assert_crc_header(put.crc, 11726769516912404153)  # the §4.5 vector


def test_content_md5_mismatch_is_invalid_digest(flavor, bucket, key_prefix):
    import oss2

    key = key_prefix + "md5-bad"
    failure = expect_failure(lambda: flavor.put(bucket, key, b"hello, oss", content_md5=md5_b64(b"other")),
                             400, "InvalidDigest")
    if flavor.sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.InvalidDigest
    # Nothing may be stored.
    expect_failure(lambda: flavor.head(bucket, key), 404, "NoSuchKey")


# ---------------------------------------------------------------------------------------------
# Deleting


def test_delete_object(flavor, bucket, key_prefix):
    key = key_prefix + "delete-me"
    flavor.put(bucket, key, b"bye")
    assert flavor.delete(bucket, key).status == 204
    expect_failure(lambda: flavor.get(bucket, key), 404, "NoSuchKey")
    # Deleting a missing key is not an error.
    assert flavor.delete(bucket, key).status == 204


def test_get_missing_key_and_bucket(flavor, bucket, key_prefix):
    import oss2

    failure = expect_failure(lambda: flavor.get(bucket, key_prefix + "missing"), 404, "NoSuchKey")
    if flavor.sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.NoSuchKey
    failure = expect_failure(lambda: flavor.get("no-such-bucket-conformance", "k"), 404, "NoSuchBucket")
    if flavor.sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.NoSuchBucket
    expect_failure(lambda: flavor.put("no-such-bucket-conformance", "k", b"x"), 404, "NoSuchBucket")


def test_delete_multiple_objects(flavor, bucket, key_prefix):
    keys = [key_prefix + k for k in ["a&b.txt", "<tag>.txt", "quote\"s'.txt", "space here", "中文", "plain"]]
    for k in keys:
        flavor.put(bucket, k, k.encode())
    missing = key_prefix + "never-existed"
    deleted = flavor.delete_many(bucket, keys + [missing])
    # Missing keys are reported as deleted (deletion is idempotent, spec §3.5).
    assert sorted(deleted) == sorted(keys + [missing])
    assert flavor.list_v1(bucket, prefix=key_prefix).keys == []
    for k in keys:
        expect_failure(lambda: flavor.head(bucket, k), 404, "NoSuchKey")


def test_delete_multiple_objects_partial(flavor, bucket, key_prefix):
    keep, drop = key_prefix + "keep", key_prefix + "drop"
    flavor.put(bucket, keep, b"1")
    flavor.put(bucket, drop, b"2")
    assert flavor.delete_many(bucket, [drop]) == [drop]
    assert flavor.list_v1(bucket, prefix=key_prefix).keys == [keep]
