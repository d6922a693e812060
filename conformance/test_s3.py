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
        # Presigned URLs in Signature V4 (botocore presigns in the legacy V2 unless told).
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}, signature_version="s3v4", **config),
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


def test_list_pages_whatever_characters_the_next_marker_holds(s3, s3_bucket):
    # Markers whose base64 has padding, '+' and '/': botocore lists with encoding-type=url, and
    # a token the server URL-encoded in its answer came back in a form it no longer read.
    keys = ["k>>>", "k???", "k/e3/f00045.bin", "ky", "kz1"]
    for key in keys:
        s3.put_object(Bucket=s3_bucket, Key=key, Body=b"x")
    pages = list(s3.get_paginator("list_objects_v2").paginate(
        Bucket=s3_bucket, Prefix="k", PaginationConfig={"PageSize": 1}))
    assert [item["Key"] for page in pages for item in page.get("Contents", [])] == sorted(keys)
    assert len(pages) == len(keys)


def crc64nvme(data: bytes) -> int:
    """CRC-64/NVME (reflected 0x9A6C9329AC4BC9B5, init and xorout all ones), bit by bit: the
    reference the server's value is compared with."""
    poly = 0x9A6C9329AC4BC9B5
    crc = 0xFFFFFFFFFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFFFFFFFFFF


def b64(value: int, length: int) -> str:
    return base64.b64encode(value.to_bytes(length, "big")).decode()


def test_every_object_carries_crc64nvme_and_the_sdk_checks_it(s3, s3_bucket, oss2_bucket_v4, bucket):
    body = os.urandom(5000)
    s3.put_object(Bucket=s3_bucket, Key="plain", Body=body)
    head = s3.head_object(Bucket=s3_bucket, Key="plain", ChecksumMode="ENABLED")
    # botocore sent CRC-32 by default; that is what the object shows back.
    assert head["ChecksumCRC32"] == b64(zlib.crc32(body), 4)
    assert head["ChecksumType"] == "FULL_OBJECT"
    got = s3.get_object(Bucket=s3_bucket, Key="plain", ChecksumMode="ENABLED")
    assert got["Body"].read() == body

    # Written through OSS: S3 shows the CRC-64/NVME computed in the same pass as the CRC-64/XZ.
    oss2_bucket_v4.put_object("s3-cross/oss-written", body)
    head = s3.head_object(Bucket=bucket, Key="s3-cross/oss-written", ChecksumMode="ENABLED")
    assert head["ChecksumCRC64NVME"] == b64(crc64nvme(body), 8)
    got = s3.get_object(Bucket=bucket, Key="s3-cross/oss-written", ChecksumMode="ENABLED")
    assert got["Body"].read() == body
    assert int(got["ResponseMetadata"]["HTTPHeaders"]["x-oss-hash-crc64ecma"]) == oss2_bucket_v4.get_object("s3-cross/oss-written").server_crc


def test_crc64nvme_requested_by_the_client(s3, s3_bucket):
    body = os.urandom(70_000)
    put = s3.put_object(Bucket=s3_bucket, Key="nvme", Body=body, ChecksumAlgorithm="CRC64NVME")
    assert put["ChecksumCRC64NVME"] == b64(crc64nvme(body), 8)
    head = s3.head_object(Bucket=s3_bucket, Key="nvme", ChecksumMode="ENABLED")
    assert head["ChecksumCRC64NVME"] == b64(crc64nvme(body), 8)
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=s3_bucket, Key="nvme-wrong", Body=body, ChecksumCRC64NVME=b64(crc64nvme(body) ^ 1, 8))
    assert error_code(excinfo) == "BadDigest"


@pytest.mark.parametrize("algorithm", ["CRC32C", "SHA1", "SHA256"])
def test_other_algorithms_are_verified_and_returned(s3, s3_bucket, algorithm):
    body = os.urandom(10_000)
    put = s3.put_object(Bucket=s3_bucket, Key=algorithm, Body=body, ChecksumAlgorithm=algorithm)
    sent = put["Checksum" + algorithm]
    head = s3.head_object(Bucket=s3_bucket, Key=algorithm, ChecksumMode="ENABLED")
    assert head["Checksum" + algorithm] == sent
    if algorithm.startswith("SHA"):
        digest = hashlib.new(algorithm.lower().replace("sha", "sha"), body).digest()
        assert sent == base64.b64encode(digest).decode()


def test_upload_file_multipart_with_transfer_manager(s3, s3_bucket, tmp_path):
    from boto3.s3.transfer import TransferConfig

    body = os.urandom(12 * 1024 * 1024 + 123)
    source = tmp_path / "big.bin"
    source.write_bytes(body)
    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    s3.upload_file(str(source), s3_bucket, "big.bin", Config=config)
    head = s3.head_object(Bucket=s3_bucket, Key="big.bin", ChecksumMode="ENABLED")
    assert head["ContentLength"] == len(body)
    assert head["ETag"].endswith('-3"')
    target = tmp_path / "back.bin"
    s3.download_file(s3_bucket, "big.bin", str(target), Config=config)
    assert target.read_bytes() == body


@pytest.mark.parametrize("algorithm,kind", [("CRC32", "FULL_OBJECT"), ("CRC32C", "COMPOSITE"), ("CRC64NVME", "FULL_OBJECT"), ("SHA256", "COMPOSITE")])
def test_multipart_checksums(s3, s3_bucket, algorithm, kind):
    parts = [os.urandom(5 * 1024 * 1024), os.urandom(1000)]
    upload = s3.create_multipart_upload(Bucket=s3_bucket, Key="mp", ChecksumAlgorithm=algorithm, ChecksumType=kind)
    assert upload["ChecksumAlgorithm"] == algorithm
    listed = []
    for number, data in enumerate(parts, start=1):
        part = s3.upload_part(Bucket=s3_bucket, Key="mp", UploadId=upload["UploadId"], PartNumber=number, Body=data, ChecksumAlgorithm=algorithm)
        listed.append({"PartNumber": number, "ETag": part["ETag"], "Checksum" + algorithm: part["Checksum" + algorithm]})
    done = s3.complete_multipart_upload(Bucket=s3_bucket, Key="mp", UploadId=upload["UploadId"], MultipartUpload={"Parts": listed})
    assert done["ChecksumType"] == kind
    whole = b"".join(parts)
    if algorithm == "CRC32":
        assert done["ChecksumCRC32"] == b64(zlib.crc32(whole), 4)
    elif algorithm == "CRC64NVME":
        assert done["ChecksumCRC64NVME"] == b64(crc64nvme(whole), 8)
    elif algorithm == "SHA256":
        composite = hashlib.sha256(b"".join(hashlib.sha256(data).digest() for data in parts)).digest()
        assert done["ChecksumSHA256"] == base64.b64encode(composite).decode() + "-2"
    head = s3.head_object(Bucket=s3_bucket, Key="mp", ChecksumMode="ENABLED")
    assert head["Checksum" + algorithm] == done["Checksum" + algorithm]
    assert s3.get_object(Bucket=s3_bucket, Key="mp")["Body"].read() == whole


def test_complete_refuses_a_part_checksum_that_is_not_the_stored_one(s3, s3_bucket):
    upload = s3.create_multipart_upload(Bucket=s3_bucket, Key="mp", ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
    data = os.urandom(1000)
    part = s3.upload_part(Bucket=s3_bucket, Key="mp", UploadId=upload["UploadId"], PartNumber=1, Body=data, ChecksumAlgorithm="CRC32")
    wrong = b64(zlib.crc32(data) ^ 1, 4)
    with pytest.raises(ClientError) as excinfo:
        s3.complete_multipart_upload(
            Bucket=s3_bucket, Key="mp", UploadId=upload["UploadId"],
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"], "ChecksumCRC32": wrong}]})
    assert error_code(excinfo) == "InvalidPart"
    with pytest.raises(ClientError) as excinfo:
        s3.complete_multipart_upload(
            Bucket=s3_bucket, Key="mp", UploadId=upload["UploadId"], ChecksumCRC32=wrong,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"], "ChecksumCRC32": part["ChecksumCRC32"]}]})
    assert error_code(excinfo) == "BadDigest"
    s3.complete_multipart_upload(
        Bucket=s3_bucket, Key="mp", UploadId=upload["UploadId"], ChecksumCRC32=part["ChecksumCRC32"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"], "ChecksumCRC32": part["ChecksumCRC32"]}]})


def test_copy_object_keeps_the_checksums_and_can_replace_metadata(s3, s3_bucket):
    body = os.urandom(2000)
    s3.put_object(Bucket=s3_bucket, Key="src", Body=body, ChecksumAlgorithm="CRC32C", Metadata={"a": "1"})
    s3.copy_object(Bucket=s3_bucket, Key="dst", CopySource={"Bucket": s3_bucket, "Key": "src"})
    head = s3.head_object(Bucket=s3_bucket, Key="dst", ChecksumMode="ENABLED")
    assert head["Metadata"] == {"a": "1"}
    assert head["ChecksumCRC32C"] == s3.head_object(Bucket=s3_bucket, Key="src", ChecksumMode="ENABLED")["ChecksumCRC32C"]
    s3.copy_object(Bucket=s3_bucket, Key="dst", CopySource={"Bucket": s3_bucket, "Key": "src"}, MetadataDirective="REPLACE", Metadata={"b": "2"})
    assert s3.head_object(Bucket=s3_bucket, Key="dst")["Metadata"] == {"b": "2"}
    assert s3.get_object(Bucket=s3_bucket, Key="dst")["Body"].read() == body


def test_delete_objects(s3, s3_bucket):
    for key in ["x1", "x2", "x3"]:
        s3.put_object(Bucket=s3_bucket, Key=key, Body=b"x")
    deleted = s3.delete_objects(Bucket=s3_bucket, Delete={"Objects": [{"Key": "x1"}, {"Key": "x2"}, {"Key": "missing"}]})
    assert sorted(item["Key"] for item in deleted["Deleted"]) == ["missing", "x1", "x2"]
    assert [item["Key"] for item in s3.list_objects_v2(Bucket=s3_bucket)["Contents"]] == ["x3"]


def test_presigned_get_and_put(s3, s3_bucket):
    import urllib.request

    body = os.urandom(1234)
    url = s3.generate_presigned_url("put_object", Params={"Bucket": s3_bucket, "Key": "signed"}, ExpiresIn=300)
    request = urllib.request.Request(url, data=body, method="PUT")
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    url = s3.generate_presigned_url("get_object", Params={"Bucket": s3_bucket, "Key": "signed"}, ExpiresIn=300)
    with urllib.request.urlopen(url) as response:
        assert response.read() == body
    tampered = url.replace("signed?", "other?")
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(tampered)
    assert excinfo.value.code == 403
    assert b"<Code>SignatureDoesNotMatch</Code>" in excinfo.value.read()


def test_cross_protocol_both_ways(s3, oss2_bucket_v4, bucket):
    body = os.urandom(100_000)
    s3.put_object(Bucket=bucket, Key="s3-cross/from-s3", Body=body)
    # oss2 checks the object's CRC-64/XZ against the bytes it received.
    assert oss2_bucket_v4.get_object("s3-cross/from-s3").read() == body
    oss2_bucket_v4.put_object("s3-cross/from-oss", body, headers={"x-oss-meta-origin": "oss2"})
    got = s3.get_object(Bucket=bucket, Key="s3-cross/from-oss", ChecksumMode="ENABLED")
    assert got["Body"].read() == body
    assert got["Metadata"] == {"origin": "oss2"}


def test_wrong_secret_and_unknown_key(endpoint, credentials, s3_bucket):
    class Wrong:
        access_key_id = credentials.access_key_id
        access_key_secret = credentials.access_key_secret + "x"

    with pytest.raises(ClientError) as excinfo:
        s3_client(endpoint, Wrong).list_objects_v2(Bucket=s3_bucket)
    assert error_code(excinfo) == "SignatureDoesNotMatch"

    class Unknown:
        access_key_id = "AKIDUNKNOWN"
        access_key_secret = "secret"

    with pytest.raises(ClientError) as excinfo:
        s3_client(endpoint, Unknown).list_objects_v2(Bucket=s3_bucket)
    assert error_code(excinfo) == "InvalidAccessKeyId"


# ---------------------------------------------------------------------------------------------
# A byte changed on the way, in either direction


@pytest.fixture
def tamper(endpoint):
    from tamper_proxy import TamperProxy

    proxy = TamperProxy(endpoint)
    yield proxy
    proxy.close()


def test_a_byte_flipped_in_an_upload_is_refused_and_nothing_is_stored(s3, s3_bucket, tamper, credentials):
    through = s3_client(tamper.endpoint, credentials)
    tamper.mode = "flip-request"
    body = os.urandom(64 * 1024)
    # Over plain HTTP botocore signs the payload's SHA-256 and sends a CRC-32 too: the signed hash
    # catches the flip first, as on S3.
    with pytest.raises(ClientError) as excinfo:
        through.put_object(Bucket=s3_bucket, Key="flipped", Body=body)
    assert error_code(excinfo) == "XAmzContentSHA256Mismatch"
    # Unsigned payload (as presigned URLs and HTTPS clients send it): the CRC-32 catches it.
    unsigned = boto3.client(
        "s3", endpoint_url=tamper.endpoint, aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.access_key_secret, region_name="us-east-1",
        config=Config(s3={"addressing_style": "path", "payload_signing_enabled": False}, retries={"max_attempts": 1}))
    with pytest.raises(ClientError) as excinfo:
        unsigned.put_object(Bucket=s3_bucket, Key="flipped", Body=body, ChecksumAlgorithm="CRC64NVME")
    assert error_code(excinfo) == "BadDigest"
    assert tamper.tampered == 2
    with pytest.raises(ClientError) as excinfo:
        s3.head_object(Bucket=s3_bucket, Key="flipped")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC64NVME"])
def test_a_byte_flipped_in_a_download_fails_the_sdks_own_check(s3, s3_bucket, tamper, credentials, algorithm):
    body = os.urandom(64 * 1024)
    s3.put_object(Bucket=s3_bucket, Key="stored", Body=body, ChecksumAlgorithm=algorithm)
    through = s3_client(tamper.endpoint, credentials)
    assert through.get_object(Bucket=s3_bucket, Key="stored", ChecksumMode="ENABLED")["Body"].read() == body
    tamper.mode = "flip-body"
    with pytest.raises(botocore.exceptions.FlexibleChecksumError):
        through.get_object(Bucket=s3_bucket, Key="stored", ChecksumMode="ENABLED")["Body"].read()
    assert tamper.tampered == 1


# ---------------------------------------------------------------------------------------------
# The rest of the everyday S3 surface


def test_bucket_location(s3, s3_bucket):
    assert s3.get_bucket_location(Bucket=s3_bucket)["LocationConstraint"] == "cn-hangzhou"


def test_get_conditions_and_response_overrides(s3, s3_bucket):
    put = s3.put_object(Bucket=s3_bucket, Key="c", Body=b"conditional")
    assert s3.get_object(Bucket=s3_bucket, Key="c", IfMatch=put["ETag"])["Body"].read() == b"conditional"
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=s3_bucket, Key="c", IfMatch='"0123456789abcdef0123456789abcdef"')
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=s3_bucket, Key="c", IfNoneMatch=put["ETag"])
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    got = s3.get_object(Bucket=s3_bucket, Key="c", ResponseContentType="text/x-test", ResponseContentDisposition="attachment")
    assert got["ContentType"] == "text/x-test" and got["ContentDisposition"] == "attachment"


def test_upload_part_copy_list_parts_and_uploads(s3, s3_bucket):
    source = os.urandom(6 * 1024 * 1024)
    s3.put_object(Bucket=s3_bucket, Key="source", Body=source)
    upload = s3.create_multipart_upload(Bucket=s3_bucket, Key="assembled", ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
    uploads = s3.list_multipart_uploads(Bucket=s3_bucket)["Uploads"]
    assert [(u["Key"], u["UploadId"]) for u in uploads] == [("assembled", upload["UploadId"])]
    first = s3.upload_part_copy(Bucket=s3_bucket, Key="assembled", UploadId=upload["UploadId"], PartNumber=1,
                                CopySource={"Bucket": s3_bucket, "Key": "source"}, CopySourceRange="bytes=0-5242879")
    tail = source[5242880:]
    second = s3.upload_part(Bucket=s3_bucket, Key="assembled", UploadId=upload["UploadId"], PartNumber=2, Body=tail, ChecksumAlgorithm="CRC32")
    parts = s3.list_parts(Bucket=s3_bucket, Key="assembled", UploadId=upload["UploadId"])["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in parts] == [(1, 5242880), (2, len(tail))]
    done = s3.complete_multipart_upload(
        Bucket=s3_bucket, Key="assembled", UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": first["CopyPartResult"]["ETag"]},
                                   {"PartNumber": 2, "ETag": second["ETag"]}]})
    # The copied part was checksummed as it was copied, so the whole object has its CRC-32.
    assert done["ChecksumCRC32"] == b64(zlib.crc32(source), 4)
    assert s3.get_object(Bucket=s3_bucket, Key="assembled")["Body"].read() == source


def test_abort_multipart_upload(s3, s3_bucket):
    upload = s3.create_multipart_upload(Bucket=s3_bucket, Key="aborted")
    s3.upload_part(Bucket=s3_bucket, Key="aborted", UploadId=upload["UploadId"], PartNumber=1, Body=b"x")
    s3.abort_multipart_upload(Bucket=s3_bucket, Key="aborted", UploadId=upload["UploadId"])
    with pytest.raises(ClientError) as excinfo:
        s3.list_parts(Bucket=s3_bucket, Key="aborted", UploadId=upload["UploadId"])
    assert error_code(excinfo) == "NoSuchUpload"


def test_object_tagging(s3, s3_bucket):
    s3.put_object(Bucket=s3_bucket, Key="tagged", Body=b"x", Tagging="team=storage&tier=hot")
    assert sorted((t["Key"], t["Value"]) for t in s3.get_object_tagging(Bucket=s3_bucket, Key="tagged")["TagSet"]) == [
        ("team", "storage"), ("tier", "hot")]
    s3.put_object_tagging(Bucket=s3_bucket, Key="tagged", Tagging={"TagSet": [{"Key": "only", "Value": "one"}]})
    assert s3.get_object_tagging(Bucket=s3_bucket, Key="tagged")["TagSet"] == [{"Key": "only", "Value": "one"}]
    assert s3.head_object(Bucket=s3_bucket, Key="tagged")["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "1"
    s3.delete_object_tagging(Bucket=s3_bucket, Key="tagged")
    assert s3.get_object_tagging(Bucket=s3_bucket, Key="tagged")["TagSet"] == []


def test_canned_acls(s3, s3_bucket, endpoint):
    import urllib.error
    import urllib.request

    s3.put_object(Bucket=s3_bucket, Key="public", Body=b"for everyone", ACL="public-read")
    s3.put_object(Bucket=s3_bucket, Key="private", Body=b"not for everyone", ACL="bucket-owner-full-control")
    with urllib.request.urlopen(f"{endpoint}/{s3_bucket}/public") as response:
        assert response.read() == b"for everyone"
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(f"{endpoint}/{s3_bucket}/private")
    assert excinfo.value.code == 403


def test_bucket_cors(s3, s3_bucket):
    rules = [{"AllowedOrigins": ["https://example.com"], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"], "MaxAgeSeconds": 600}]
    s3.put_bucket_cors(Bucket=s3_bucket, CORSConfiguration={"CORSRules": rules})
    got = s3.get_bucket_cors(Bucket=s3_bucket)["CORSRules"]
    assert got[0]["AllowedOrigins"] == ["https://example.com"] and got[0]["AllowedMethods"] == ["GET", "PUT"]
    s3.delete_bucket_cors(Bucket=s3_bucket)
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_cors(Bucket=s3_bucket)
    assert error_code(excinfo) == "NoSuchCORSConfiguration"


def test_error_documents_are_s3s(s3, s3_bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=s3_bucket, Key="absent")
    error = excinfo.value.response
    assert error["Error"]["Code"] == "NoSuchKey"
    assert error["ResponseMetadata"]["HTTPHeaders"]["x-amz-request-id"]


def test_virtual_hosted_addressing(endpoint, credentials, s3_bucket, monkeypatch):
    """`<bucket>.localhost`, the server's default service host, resolved to loopback here as a
    DNS wildcard record would resolve it."""
    import socket

    real = socket.getaddrinfo

    def resolve(host, *rest, **kwargs):
        return real("127.0.0.1" if isinstance(host, str) and host.endswith(".localhost") else host, *rest, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    port = endpoint.rsplit(":", 1)[1]
    virtual = boto3.client(
        "s3", endpoint_url=f"http://localhost:{port}", aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.access_key_secret, region_name="us-east-1",
        config=Config(s3={"addressing_style": "virtual"}, retries={"max_attempts": 1}))
    sent = []
    virtual.meta.events.register("before-send.s3.*", lambda request, **_: sent.append(request.url))
    body = os.urandom(3000)
    virtual.put_object(Bucket=s3_bucket, Key="dir/virtual key", Body=body)
    assert sent[-1].startswith(f"http://{s3_bucket}.localhost:{port}/dir/virtual")
    assert virtual.get_object(Bucket=s3_bucket, Key="dir/virtual key")["Body"].read() == body
    assert [item["Key"] for item in virtual.list_objects_v2(Bucket=s3_bucket)["Contents"]] == ["dir/virtual key"]


def test_get_object_attributes(s3, s3_bucket):
    body = os.urandom(5 * 1024 * 1024)
    tail = os.urandom(10)
    upload = s3.create_multipart_upload(Bucket=s3_bucket, Key="attrs", ChecksumAlgorithm="CRC64NVME")
    parts = []
    for number, data in enumerate([body, tail], start=1):
        part = s3.upload_part(Bucket=s3_bucket, Key="attrs", UploadId=upload["UploadId"], PartNumber=number, Body=data, ChecksumAlgorithm="CRC64NVME")
        parts.append({"PartNumber": number, "ETag": part["ETag"], "ChecksumCRC64NVME": part["ChecksumCRC64NVME"]})
    done = s3.complete_multipart_upload(Bucket=s3_bucket, Key="attrs", UploadId=upload["UploadId"], MultipartUpload={"Parts": parts})
    attributes = s3.get_object_attributes(
        Bucket=s3_bucket, Key="attrs", ObjectAttributes=["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"])
    assert attributes["ETag"] == done["ETag"].strip('"')
    assert attributes["Checksum"] == {"ChecksumCRC64NVME": b64(crc64nvme(body + tail), 8), "ChecksumType": "FULL_OBJECT"}
    assert attributes["ObjectParts"]["TotalPartsCount"] == 2
    assert attributes["StorageClass"] == "STANDARD"
    assert attributes["ObjectSize"] == len(body) + len(tail)
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_attributes(Bucket=s3_bucket, Key="attrs", ObjectAttributes=["Colour"])
    assert error_code(excinfo) == "InvalidArgument"


def test_bucket_names_follow_oss_rules_on_both_apis(s3):
    """docs/s3.md: dotted names, which S3 allows, are refused; names S3 reserves are accepted."""
    with pytest.raises(ClientError) as excinfo:
        s3.create_bucket(Bucket="my.dotted.bucket")
    assert error_code(excinfo) == "InvalidBucketName"
    reserved = "xn--" + random_name("s3")
    s3.create_bucket(Bucket=reserved)
    s3.head_bucket(Bucket=reserved)
    s3.delete_bucket(Bucket=reserved)


@pytest.mark.parametrize("call", ["get_object_lock_configuration", "get_bucket_encryption", "get_bucket_replication",
                                  "get_bucket_ownership_controls", "get_bucket_notification_configuration"])
def test_s3_only_features_are_not_implemented_never_a_listing(s3, s3_bucket, call):
    with pytest.raises(ClientError) as excinfo:
        getattr(s3, call)(Bucket=s3_bucket)
    assert error_code(excinfo) == "NotImplemented"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501


def test_versioning_through_s3(s3, s3_bucket):
    s3.put_bucket_versioning(Bucket=s3_bucket, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=s3_bucket)["Status"] == "Enabled"
    first = s3.put_object(Bucket=s3_bucket, Key="v", Body=b"one")["VersionId"]
    second = s3.put_object(Bucket=s3_bucket, Key="v", Body=b"two")["VersionId"]
    assert first != second
    assert s3.get_object(Bucket=s3_bucket, Key="v", VersionId=first)["Body"].read() == b"one"
    versions = s3.list_object_versions(Bucket=s3_bucket, Prefix="v")["Versions"]
    assert sorted(v["VersionId"] for v in versions) == sorted([first, second])
    for version in versions:
        s3.delete_object(Bucket=s3_bucket, Key="v", VersionId=version["VersionId"])
