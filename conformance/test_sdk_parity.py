"""Behaviours of OSS that the official SDKs rely on (issue 12), each exercised with the SDKs that
use it: oss2 (V1 and V4 signatures) and alibabacloud_oss_v2."""

import oss2
import alibabacloud_oss_v2 as oss

from oss_conformance import expect_failure, random_name


CONTROL_KEYS = ("ctl-\x01start", "ctl-mid\x1fdle", "ctl-esc\x1b[0m", "ctl-bell\x07")


def test_oss2_deletes_keys_with_raw_control_characters(oss2_flavor, bucket, key_prefix):
    b = oss2_flavor.bucket(bucket)
    keys = [key_prefix + k for k in CONTROL_KEYS] + [key_prefix + "plain"]
    for key in keys:
        b.put_object(key, b"x")
    result = b.batch_delete_objects(keys)
    assert sorted(result.deleted_keys) == sorted(keys)
    assert [o.key for o in oss2.ObjectIterator(b, prefix=key_prefix)] == []


def test_v2_deletes_keys_with_raw_control_characters(v2_flavor, bucket, key_prefix):
    client = v2_flavor.client
    keys = [key_prefix + k for k in CONTROL_KEYS]
    for key in keys:
        client.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=b"y"))
    result = client.delete_multiple_objects(oss.DeleteMultipleObjectsRequest(
        bucket=bucket, objects=[oss.DeleteObject(key=k) for k in keys]))
    assert sorted(d.key for d in result.deleted_objects) == sorted(keys)
    listed = client.list_objects_v2(oss.ListObjectsV2Request(bucket=bucket, prefix=key_prefix))
    assert not listed.contents
