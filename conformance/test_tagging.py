"""Object tagging (spec §3.5): the Tagging document and x-oss-tagging through every flavor."""

import oss2
import pytest

from oss_conformance import assert_crc_header, crc64, expect_failure


def test_tagging_round_trip(flavor, bucket, key_prefix):
    key = key_prefix + "tagged"
    data = b"tagged object"
    put = flavor.put(bucket, key, data)
    assert flavor.get_tagging(bucket, key) == {}
    tags = {"env": "dev", "team": "storage/io", "note": "a b+c=d.e_f:g", "empty": ""}
    flavor.put_tagging(bucket, key, tags)
    assert flavor.get_tagging(bucket, key) == tags
    head = flavor.head(bucket, key)
    assert head.header("x-oss-tagging-count") == "4"
    assert head.etag == put.etag, "tags change neither bytes nor ETag"
    assert_crc_header(head.crc, crc64(data))
    flavor.delete_tagging(bucket, key)
    assert flavor.get_tagging(bucket, key) == {}
    assert flavor.get(bucket, key).body == data


def test_put_object_with_tags(flavor, bucket, key_prefix):
    key = key_prefix + "born-tagged"
    tags = {"k1": "v1", "a b": "c+d", "中文": "値"}
    put = flavor.put_with_tags(bucket, key, b"x", tags)
    assert_crc_header(put.crc, crc64(b"x"))
    assert flavor.get_tagging(bucket, key) == tags


def test_tag_limits(flavor, bucket, key_prefix):
    key = key_prefix + "limits"
    flavor.put(bucket, key, b"x")
    flavor.put_tagging(bucket, key, {"k%d" % i: "v" for i in range(10)})
    expect_failure(lambda: flavor.put_tagging(bucket, key, {"k%d" % i: "v" for i in range(11)}), 400, "InvalidArgument")
    for too_long in ({"k" * 129: "v"}, {"k": "v" * 257}):
        if flavor.sdk == "oss2":
            # oss2 checks lengths itself and never sends these.
            with pytest.raises(oss2.exceptions.ClientError):
                flavor.put_tagging(bucket, key, too_long)
        else:
            expect_failure(lambda: flavor.put_tagging(bucket, key, too_long), 400, "InvalidArgument")
    flavor.put_tagging(bucket, key, {"k" * 128: "v" * 256})
    assert flavor.get_tagging(bucket, key) == {"k" * 128: "v" * 256}
    expect_failure(lambda: flavor.get_tagging(bucket, key_prefix + "absent"), 404, "NoSuchKey")
