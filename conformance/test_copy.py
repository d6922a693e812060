"""CopyObject (spec §3.5, §4.3, §6.1) through every flavor, and v2's Copier in its single-request
and multipart paths; the CRC header is checked on every copy (OSS may omit it, this server does not)."""

import pytest
import alibabacloud_oss_v2 as oss

from oss_conformance import expect_failure_status, V2Flavor, assert_crc_header, crc64, expect_failure, md5_hex, norm_etag, random_bytes


def test_copy_within_and_across_buckets(flavor, bucket, fresh_bucket, key_prefix):
    data = random_bytes(300_000)
    source = key_prefix + "src dir/a+b%c.bin"
    put = flavor.put(bucket, source, data, content_type="application/x-test", metadata={"origin": "copy"})
    for target_bucket in (bucket, fresh_bucket):
        target = key_prefix + "copied.bin"
        copy = flavor.copy(target_bucket, target, bucket, source)
        assert copy.status == 200
        assert_crc_header(copy.crc, crc64(data), "CopyObject x-oss-hash-crc64ecma")
        assert norm_etag(copy.etag) == norm_etag(put.etag) == md5_hex(data)
        got = flavor.get(target_bucket, target)
        assert got.body == data
        assert_crc_header(got.crc, crc64(data))
        assert got.header("content-type") == "application/x-test"
        assert got.header("x-oss-meta-origin") == "copy"


def test_copy_replace_and_self_copy(flavor, bucket, key_prefix):
    data = b"metadata only"
    key = key_prefix + "meta"
    flavor.put(bucket, key, data, metadata={"old": "1"})
    replaced = flavor.copy(bucket, key + "-2", bucket, key,
                           headers={"x-oss-metadata-directive": "REPLACE", "x-oss-meta-new": "2"})
    assert_crc_header(replaced.crc, crc64(data))
    head = flavor.head(bucket, key + "-2")
    assert head.header("x-oss-meta-new") == "2" and head.header("x-oss-meta-old") is None
    # oss2 update_object_meta / v2 self-copy with REPLACE: bytes and CRC stay.
    updated = flavor.update_meta(bucket, key, {"fresh": "yes"})
    assert_crc_header(updated.crc, crc64(data))
    got = flavor.get(bucket, key)
    assert got.body == data
    assert got.header("x-oss-meta-fresh") == "yes" and got.header("x-oss-meta-old") is None


def test_copy_conditions_and_missing_sources(flavor, bucket, key_prefix):
    key = key_prefix + "cond"
    put = flavor.put(bucket, key, b"conditional")
    etag = '"' + norm_etag(put.etag) + '"'
    expect_failure(lambda: flavor.copy(bucket, key + "-x", bucket, key,
                                       headers={"x-oss-copy-source-if-match": '"00000000000000000000000000000000"'}),
                   412, "PreconditionFailed")
    # OSS answers 304 for the none-match and modified-since forms (the SDKs read the status).
    expect_failure_status(lambda: flavor.copy(bucket, key + "-x", bucket, key,
                                                        headers={"x-oss-copy-source-if-none-match": etag}), 304)
    assert flavor.copy(bucket, key + "-y", bucket, key, headers={"x-oss-copy-source-if-match": etag}).status == 200
    expect_failure(lambda: flavor.copy(bucket, key + "-z", bucket, key_prefix + "absent"), 404, "NoSuchKey")
    expect_failure(lambda: flavor.head(bucket, key + "-x"), 404, "NoSuchKey")


@pytest.mark.parametrize("signature", ["v4", "v1"])
@pytest.mark.parametrize("multipart", [False, True])
def test_v2_copier(endpoint, credentials, bucket, fresh_bucket, key_prefix, signature, multipart):
    """v2's Copier: one CopyObject below its threshold; above it (or across buckets) UploadPartCopy
    parts, whose combined Complete CRC it compares with the source's HEAD CRC (spec §4.4)."""
    client = V2Flavor(endpoint, credentials, signature).client
    data = random_bytes(700_000)
    source = key_prefix + "copier-src"
    client.put_object(oss.PutObjectRequest(bucket=bucket, key=source, body=data, tagging="k=v"))
    copier = client.copier(part_size=256 * 1024, multipart_copy_threshold=100 * 1024 if multipart else 1 << 30,
                           disable_shallow_copy=True)
    target_bucket = fresh_bucket if multipart else bucket
    result = copier.copy(oss.CopyObjectRequest(bucket=target_bucket, key=key_prefix + "copier-dst",
                                               source_bucket=bucket, source_key=source))
    assert_crc_header(result.hash_crc64, crc64(data))
    if multipart:
        assert result.upload_id, "the multipart path ran"
    got = client.get_object(oss.GetObjectRequest(bucket=target_bucket, key=key_prefix + "copier-dst"))
    assert got.body.read() == data
    assert_crc_header(got.hash_crc64, crc64(data))
    tags = client.get_object_tagging(oss.GetObjectTaggingRequest(bucket=target_bucket, key=key_prefix + "copier-dst"))
    assert {t.key: t.value for t in tags.tag_set.tags} == {"k": "v"}
