"""The raw SDK clients from conftest (oss2 `Bucket` with `Auth`/`AuthV4`, v2 `Client` with V4/V1),
used directly as an application would: a write and a read with the CRC checked on both."""

import alibabacloud_oss_v2 as oss
import oss2
import pytest

from oss_conformance import assert_crc_header, crc64, random_bytes


@pytest.mark.parametrize("fixture", ["oss2_bucket_v1", "oss2_bucket_v4"])
def test_oss2_bucket(request, fixture, key_prefix):
    bucket: oss2.Bucket = request.getfixturevalue(fixture)
    assert bucket.enable_crc is True
    data = random_bytes(150 * 1024)
    key = key_prefix + "raw-oss2"
    put = bucket.put_object(key, data)
    assert_crc_header(put.headers.get("x-oss-hash-crc64ecma"), crc64(data))
    got = bucket.get_object(key)
    body = got.read()
    assert body == data
    assert got.client_crc == got.server_crc == crc64(data)
    assert bucket.head_object(key).content_length == len(data)
    bucket.delete_object(key)


@pytest.mark.parametrize("fixture", ["v2_client_v4", "v2_client_v1"])
def test_v2_client(request, fixture, default_bucket_name, key_prefix):
    client: oss.Client = request.getfixturevalue(fixture)
    data = random_bytes(150 * 1024)
    key = key_prefix + "raw-v2"
    put = client.put_object(oss.PutObjectRequest(bucket=default_bucket_name, key=key, body=data))
    assert_crc_header(put.hash_crc64, crc64(data))
    got = client.get_object(oss.GetObjectRequest(bucket=default_bucket_name, key=key))
    assert got.body.read() == data
    assert_crc_header(got.hash_crc64, crc64(data))
    assert client.is_object_exist(default_bucket_name, key) is True
    assert client.is_object_exist(default_bucket_name, key + "-missing") is False
    client.delete_object(oss.DeleteObjectRequest(bucket=default_bucket_name, key=key))
