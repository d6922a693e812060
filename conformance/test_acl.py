"""Bucket and object ACLs (spec §2.7, §3.5) set and read by every flavor, and what they let
oss2.AnonymousAuth and v2's AnonymousCredentialsProvider do."""

import pytest
import oss2

from oss_conformance import anonymous_flavor, assert_crc_header, crc64, expect_failure, random_bytes


def test_bucket_acl_round_trip(flavor, fresh_bucket):
    assert flavor.get_bucket_acl(fresh_bucket) == "private"
    for acl in ("public-read", "public-read-write", "private"):
        flavor.put_bucket_acl(fresh_bucket, acl)
        assert flavor.get_bucket_acl(fresh_bucket) == acl
    assert flavor.bucket_info(fresh_bucket)["acl"] == "private"


def test_object_acl_round_trip(flavor, bucket, key_prefix):
    key = key_prefix + "acl-object"
    flavor.put(bucket, key, b"x")
    assert flavor.get_object_acl(bucket, key) == "default"
    for acl in ("private", "public-read", "public-read-write", "default"):
        flavor.put_object_acl(bucket, key, acl)
        assert flavor.get_object_acl(bucket, key) == acl
    expect_failure(lambda: flavor.get_object_acl(bucket, key_prefix + "absent"), 404, "NoSuchKey")


@pytest.mark.parametrize("sdk", ["oss2", "v2"])
def test_anonymous_reads_of_a_public_read_bucket(endpoint, admin, fresh_bucket, sdk):
    data = random_bytes(20_000)
    admin.put(fresh_bucket, "open.bin", data)
    admin.put(fresh_bucket, "closed.bin", data)
    admin.put_object_acl(fresh_bucket, "closed.bin", "private")
    anonymous = anonymous_flavor(sdk, endpoint)
    expect_failure(lambda: anonymous.get(fresh_bucket, "open.bin"), 403, "AccessDenied")
    admin.put_bucket_acl(fresh_bucket, "public-read")

    got = anonymous.get(fresh_bucket, "open.bin")
    assert got.body == data
    assert_crc_header(got.crc, crc64(data))
    assert anonymous.head(fresh_bucket, "open.bin").status == 200
    assert "open.bin" in anonymous.list_v1(fresh_bucket).keys
    failure = expect_failure(lambda: anonymous.get(fresh_bucket, "closed.bin"), 403, "AccessDenied")
    if sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.AccessDenied
    expect_failure(lambda: anonymous.head(fresh_bucket, "closed.bin"), 403, "AccessDenied")
    expect_failure(lambda: anonymous.put(fresh_bucket, "new.bin", b"x"), 403, "AccessDenied")
    expect_failure(lambda: anonymous.delete(fresh_bucket, "open.bin"), 403, "AccessDenied")
    expect_failure(lambda: anonymous.get_bucket_acl(fresh_bucket), 403, "AccessDenied")
    # A read the ACL allows gets the honest answer for a missing key.
    expect_failure(lambda: anonymous.head(fresh_bucket, "new.bin"), 404, "NoSuchKey")
    assert admin.get(fresh_bucket, "open.bin").body == data


@pytest.mark.parametrize("sdk", ["oss2", "v2"])
def test_anonymous_writes_to_a_public_read_write_bucket(endpoint, admin, fresh_bucket, sdk):
    admin.put_bucket_acl(fresh_bucket, "public-read-write")
    anonymous = anonymous_flavor(sdk, endpoint)
    data = random_bytes(150_000)
    put = anonymous.put(fresh_bucket, "anonymous.bin", data)
    assert_crc_header(put.crc, crc64(data))
    assert admin.get(fresh_bucket, "anonymous.bin").body == data
    resp, position = anonymous.append(fresh_bucket, "log", 0, b"abc")
    assert_crc_header(resp.crc, crc64(b"abc"))
    # Multipart too: Initiate, UploadPart and Complete are writes.
    upload = anonymous.init(fresh_bucket, "mp.bin")
    part, _ = anonymous.upload_part(fresh_bucket, "mp.bin", upload, 1, data)
    done = anonymous.complete(fresh_bucket, "mp.bin", upload, [part])
    assert_crc_header(done.crc, crc64(data))
    # An object with its own private ACL stays the owner's.
    admin.put(fresh_bucket, "owned", b"owner")
    admin.put_object_acl(fresh_bucket, "owned", "private")
    expect_failure(lambda: anonymous.put(fresh_bucket, "owned", b"mine now"), 403, "AccessDenied")
    assert admin.get(fresh_bucket, "owned").body == b"owner"
    assert anonymous.delete(fresh_bucket, "anonymous.bin").status == 204
    expect_failure(lambda: anonymous.put_bucket_acl(fresh_bucket, "private"), 403, "AccessDenied")


@pytest.mark.parametrize("sdk", ["oss2", "v2"])
def test_object_acl_opens_one_object_of_a_private_bucket(endpoint, admin, fresh_bucket, sdk):
    admin.put(fresh_bucket, "shared", b"shared")
    admin.put_object_acl(fresh_bucket, "shared", "public-read")
    anonymous = anonymous_flavor(sdk, endpoint)
    assert anonymous.get(fresh_bucket, "shared").body == b"shared"
    expect_failure(lambda: anonymous.put(fresh_bucket, "shared", b"x"), 403, "AccessDenied")
    expect_failure(lambda: anonymous.list_v1(fresh_bucket), 403, "AccessDenied")
