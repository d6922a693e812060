"""The S3 API on the OSS port: boto3 (the AWS SDK for Python, its defaults on) against the same
server, buckets and objects the OSS SDKs use.

Every upload here carries the checksum botocore computes by default (CRC-32, or the one asked
for), and every download asks for it back (`ChecksumMode=ENABLED`): botocore checks both itself,
so a byte changed anywhere fails the test.
"""

from __future__ import annotations

import base64
import hashlib
import os
import zlib

import boto3
import botocore
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from oss_conformance import random_name


def s3_client(endpoint, credentials, **config):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.access_key_secret,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, **config),
    )


@pytest.fixture(scope="module")
def s3(endpoint, credentials):
    return s3_client(endpoint, credentials)


@pytest.fixture
def s3_bucket(s3):
    name = random_name("s3")
    s3.create_bucket(Bucket=name)
    yield name
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=name):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=name, Key=item["Key"])
    for upload in s3.list_multipart_uploads(Bucket=name).get("Uploads", []):
        s3.abort_multipart_upload(Bucket=name, Key=upload["Key"], UploadId=upload["UploadId"])
    s3.delete_bucket(Bucket=name)


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def test_bucket_lifecycle(s3):
    name = random_name("s3")
    s3.create_bucket(Bucket=name)
    s3.head_bucket(Bucket=name)
    assert name in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]
    with pytest.raises(ClientError) as excinfo:
        s3.create_bucket(Bucket=name)
    assert error_code(excinfo) == "BucketAlreadyOwnedByYou"
    s3.put_object(Bucket=name, Key="k", Body=b"x")
    with pytest.raises(ClientError) as excinfo:
        s3.delete_bucket(Bucket=name)
    assert error_code(excinfo) == "BucketNotEmpty"
    s3.delete_object(Bucket=name, Key="k")
    s3.delete_bucket(Bucket=name)
    with pytest.raises(ClientError) as excinfo:
        s3.head_bucket(Bucket=name)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_put_get_head_delete(s3, s3_bucket):
    body = os.urandom(300_000)
    put = s3.put_object(Bucket=s3_bucket, Key="dir/object.bin", Body=body, Metadata={"colour": "blue"}, ContentType="image/png")
    assert put["ETag"] == '"%s"' % hashlib.md5(body).hexdigest()
    got = s3.get_object(Bucket=s3_bucket, Key="dir/object.bin")
    assert got["Body"].read() == body
    assert got["Metadata"] == {"colour": "blue"}
    assert got["ContentType"] == "image/png"
    head = s3.head_object(Bucket=s3_bucket, Key="dir/object.bin")
    assert head["ContentLength"] == len(body)
    ranged = s3.get_object(Bucket=s3_bucket, Key="dir/object.bin", Range="bytes=10-19")
    assert ranged["Body"].read() == body[10:20]
    s3.delete_object(Bucket=s3_bucket, Key="dir/object.bin")
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=s3_bucket, Key="dir/object.bin")
    assert error_code(excinfo) == "NoSuchKey"


def test_wrong_crc32_is_bad_digest_and_nothing_is_stored(s3, s3_bucket):
    body = b"the bytes the client meant to send"
    wrong = base64.b64encode((zlib.crc32(body) ^ 1).to_bytes(4, "big")).decode()
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=s3_bucket, Key="k", Body=body, ChecksumCRC32=wrong)
    assert error_code(excinfo) == "BadDigest"
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=s3_bucket, Key="k")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_list_objects_v2_and_v1(s3, s3_bucket):
    for key in ["a/1", "a/2", "b/1", "c"]:
        s3.put_object(Bucket=s3_bucket, Key=key, Body=key.encode())
    listed = s3.list_objects_v2(Bucket=s3_bucket, Delimiter="/")
    assert [item["Key"] for item in listed["Contents"]] == ["c"]
    assert [prefix["Prefix"] for prefix in listed["CommonPrefixes"]] == ["a/", "b/"]
    assert listed["Contents"][0]["StorageClass"] == "STANDARD"
    pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=s3_bucket, PaginationConfig={"PageSize": 1}))
    assert [item["Key"] for page in pages for item in page.get("Contents", [])] == ["a/1", "a/2", "b/1", "c"]
    v1 = s3.list_objects(Bucket=s3_bucket, Prefix="a/")
    assert [item["Key"] for item in v1["Contents"]] == ["a/1", "a/2"]
