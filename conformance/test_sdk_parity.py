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


def _v2_with_secret(endpoint, credentials, secret, signature_version):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(credentials.access_key_id, secret)
    cfg.region = "cn-hangzhou"
    cfg.endpoint = endpoint
    cfg.use_path_style = True
    cfg.signature_version = signature_version
    return oss.Client(cfg)


def test_v2_existence_checks_see_a_missing_bucket_whatever_the_credentials(endpoint, credentials, bucket):
    """OSS looks the bucket up before judging the signature: a missing bucket is NoSuchBucket
    even for a wrong secret, which is how is_bucket_exist tells absent from forbidden."""
    for version in ("v4", "v1"):
        wrong = _v2_with_secret(endpoint, credentials, "not-the-secret", version)
        assert wrong.is_bucket_exist(random_name("nb")) is False
        assert wrong.is_bucket_exist(bucket) is True
        expect_failure(lambda: wrong.is_object_exist(random_name("nb"), "k"), 404, "NoSuchBucket")
        expect_failure(lambda: wrong.is_object_exist(bucket, "k"), 403, "SignatureDoesNotMatch")
