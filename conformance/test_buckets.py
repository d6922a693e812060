"""PutBucket, DeleteBucket, ListBuckets, GetBucketInfo, GetBucketLocation (spec §3.3)."""

import pytest

from oss_conformance import empty_and_delete_bucket, expect_failure, random_name


@pytest.fixture
def new_name(admin):
    name = random_name("cb")
    yield name
    empty_and_delete_bucket(admin, name)


def test_create_list_delete_bucket(flavor, new_name):
    assert flavor.create_bucket(new_name).status == 200
    assert new_name in flavor.list_bucket_names(prefix="cb-")
    assert flavor.delete_bucket(new_name).status == 204
    assert new_name not in flavor.list_bucket_names(prefix="cb-")
    expect_failure(lambda: flavor.delete_bucket(new_name), 404, "NoSuchBucket")


def test_server_created_the_bucket_given_on_the_command_line(flavor, default_bucket_name):
    assert default_bucket_name in flavor.list_bucket_names()


def test_list_buckets_fields_oss2(oss2_flavor, fresh_bucket):
    result = oss2_flavor.list_buckets(prefix=fresh_bucket)
    assert [b.name for b in result.buckets] == [fresh_bucket]
    b = result.buckets[0]
    assert b.location == "oss-cn-hangzhou"
    assert b.storage_class == "Standard"
    assert b.creation_date > 0
    assert b.extranet_endpoint and b.intranet_endpoint


def test_list_buckets_fields_v2(v2_flavor, fresh_bucket):
    result = v2_flavor.list_buckets(prefix=fresh_bucket)
    assert [b.name for b in result.buckets] == [fresh_bucket]
    b = result.buckets[0]
    assert b.location == "oss-cn-hangzhou"
    assert b.storage_class == "Standard"
    assert b.creation_date is not None
    assert result.owner is not None and result.owner.id


def test_list_buckets_pagination(flavor, admin):
    stem = random_name("lb", 6)
    names = sorted(f"{stem}-{i}" for i in range(5))
    try:
        for name in names:
            admin.create_bucket(name)
        seen, marker = [], ""
        for _ in range(10):
            result = flavor.list_buckets(prefix=stem, marker=marker or None, max_keys=2) if flavor.sdk == "v2" \
                else flavor.list_buckets(prefix=stem, marker=marker, max_keys=2)
            page = [b.name for b in (result.buckets or [])]
            assert len(page) <= 2
            seen += page
            if not result.is_truncated:
                break
            marker = result.next_marker
            assert marker, "NextMarker is required when truncated"
        assert seen == names
    finally:
        for name in names:
            empty_and_delete_bucket(admin, name)


def test_get_bucket_info(flavor, fresh_bucket):
    info = flavor.bucket_info(fresh_bucket)
    assert info["name"] == fresh_bucket
    assert info["location"] == "oss-cn-hangzhou"
    assert info["storage_class"] == "Standard"
    assert info["acl"] == "private"
    assert info["extranet_endpoint"] and info["intranet_endpoint"]
    assert info["owner_id"]


def test_get_bucket_location(flavor, fresh_bucket):
    assert flavor.bucket_location(fresh_bucket) == "oss-cn-hangzhou"


def test_bucket_info_and_location_of_missing_bucket(flavor):
    expect_failure(lambda: flavor.bucket_info("no-such-bucket-conformance"), 404, "NoSuchBucket")
    expect_failure(lambda: flavor.bucket_location("no-such-bucket-conformance"), 404, "NoSuchBucket")


def test_delete_non_empty_bucket(flavor, fresh_bucket):
    import oss2

    flavor.put(fresh_bucket, "one", b"1")
    failure = expect_failure(lambda: flavor.delete_bucket(fresh_bucket), 409, "BucketNotEmpty")
    if flavor.sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.BucketNotEmpty
    flavor.delete(fresh_bucket, "one")
    assert flavor.delete_bucket(fresh_bucket).status == 204


def test_delete_bucket_with_unfinished_upload(flavor, fresh_bucket):
    """Unfinished multipart uploads also keep a bucket from being deleted (spec §3.3)."""
    upload_id = flavor.init(fresh_bucket, "pending")
    expect_failure(lambda: flavor.delete_bucket(fresh_bucket), 409, "BucketNotEmpty")
    flavor.abort(fresh_bucket, "pending", upload_id)
    assert flavor.delete_bucket(fresh_bucket).status == 204


def test_bucket_contents_are_separate(flavor, fresh_bucket, admin):
    other = random_name("ct")
    admin.create_bucket(other)
    try:
        flavor.put(fresh_bucket, "same-key", b"first bucket")
        flavor.put(other, "same-key", b"second bucket")
        assert flavor.get(fresh_bucket, "same-key").body == b"first bucket"
        assert flavor.get(other, "same-key").body == b"second bucket"
    finally:
        empty_and_delete_bucket(admin, other)
