"""Corners SDK code reaches (issue 5): version listings of an unversioned bucket (every object
once, as its `null` version), empty live-channel listings, v2's
is_bucket_exist (GetBucketAcl), unserved sub-resources as a clean 400 NotImplemented, errors with
the elements each SDK parses (also on HEAD through x-oss-err), and bucket churn."""

import pytest
import oss2
import alibabacloud_oss_v2 as oss
from alibabacloud_oss_v2 import exceptions as v2exc

from oss_conformance import expect_failure, find_in_chain, random_name


def test_oss2_versions_of_an_unversioned_bucket_and_live_channels(oss2_flavor, bucket, key_prefix):
    b = oss2_flavor.bucket(bucket)
    keys = [key_prefix + name for name in ("a", "b/c", "d")]
    for index, key in enumerate(keys):
        b.put_object(key, b"x" * (index + 1))
    versions = b.list_object_versions(prefix=key_prefix)
    assert versions.is_truncated is False
    assert [v.key for v in versions.versions] == keys
    assert all(v.versionid == "null" and v.is_latest for v in versions.versions)
    assert [v.size for v in versions.versions] == [1, 2, 3]
    assert versions.delete_marker == []
    assert versions.prefix == key_prefix
    # Pages of two, continued by the key marker.
    first = b.list_object_versions(prefix=key_prefix, max_keys=2)
    assert first.is_truncated and [v.key for v in first.versions] == keys[:2]
    rest = b.list_object_versions(prefix=key_prefix, max_keys=2, key_marker=first.next_key_marker,
                                  versionid_marker=first.next_versionid_marker)
    assert [v.key for v in rest.versions] == keys[2:] and rest.is_truncated is False
    live = b.list_live_channel()
    assert live.channels == [] and live.is_truncated is False


def test_v2_versions_paginator(v2_flavor, bucket, key_prefix):
    keys = [key_prefix + name for name in ("p", "q", "r")]
    for key in keys:
        v2_flavor.client.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=b"v2"))
    pages = list(v2_flavor.client.list_object_versions_paginator(limit=2).iter_page(
        oss.ListObjectVersionsRequest(bucket=bucket, prefix=key_prefix)))
    assert len(pages) == 2
    listed = [v for page in pages for v in page.version]
    assert [v.key for v in listed] == keys
    assert all(v.version_id == "null" and v.is_latest for v in listed)
    assert not any(page.delete_marker for page in pages)


def test_v2_is_bucket_exist(v2_flavor, bucket):
    assert v2_flavor.client.is_bucket_exist(bucket) is True
    assert v2_flavor.client.is_bucket_exist(random_name("nb")) is False


def test_unserved_subresources_are_not_implemented(oss2_flavor, v2_flavor, bucket, key_prefix, admin):
    with pytest.raises(oss2.exceptions.NotImplemented):
        oss2_flavor.bucket(bucket).get_bucket_worm()
    with pytest.raises(oss2.exceptions.NotImplemented):
        oss2_flavor.bucket(bucket).get_bucket_encryption()
    expect_failure(lambda: v2_flavor.client.get_bucket_worm(oss.GetBucketWormRequest(bucket=bucket)), 400,
                   "NotImplemented")
    # No sub-resource request ever stored its body as an object.
    assert admin.list_v1(bucket, prefix=key_prefix).keys == []


def test_errors_carry_what_the_sdks_parse(flavor, bucket, key_prefix):
    for call, status, code in [
        (lambda: flavor.get(bucket, key_prefix + "missing"), 404, "NoSuchKey"),
        (lambda: flavor.head(bucket, key_prefix + "missing"), 404, "NoSuchKey"),
        (lambda: flavor.get(random_name("nb"), "k"), 404, "NoSuchBucket"),
        (lambda: flavor.head(random_name("nb"), "k"), 404, "NoSuchBucket"),
    ]:
        failure = expect_failure(call, status, code)
        error = failure.error
        assert error.request_id, f"{code}: no request id"
        assert error.ec, f"{code}: no EC"
        if flavor.sdk == "oss2":
            assert type(error) is {"NoSuchKey": oss2.exceptions.NoSuchKey,
                                   "NoSuchBucket": oss2.exceptions.NoSuchBucket}[code]
            assert error.details.get("RequestId") == error.request_id
            assert error.details.get("HostId")
        else:
            assert error.message
            assert error.error_fileds.get("HostId")


def test_buckets_survive_hundreds_of_create_delete_cycles(flavor, admin):
    name = random_name("churn")
    for round_number in range(100):
        assert flavor.create_bucket(name).status == 200, round_number
        admin.bucket(name).put_object("o", str(round_number).encode())
        assert admin.bucket(name).get_object("o").read() == str(round_number).encode()
        admin.bucket(name).delete_object("o")
        assert flavor.delete_bucket(name).status == 204, round_number
    expect_failure(lambda: flavor.delete_bucket(name), 404, "NoSuchBucket")
