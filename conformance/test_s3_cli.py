"""The AWS CLI (`aws s3` and `aws s3api`, from PyPI's awscli) against the S3 API of the OSS port.

Each command runs as a user types it, with the endpoint and a key pair of the server, and no
configuration of the machine (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point nowhere).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from oss_conformance import random_name

AWS = str(Path(sys.executable).parent / "aws")


@pytest.fixture(scope="module")
def aws(endpoint, credentials, tmp_path_factory):
    home = tmp_path_factory.mktemp("aws-home")
    environment = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(home),
        "AWS_ACCESS_KEY_ID": credentials.access_key_id, "AWS_SECRET_ACCESS_KEY": credentials.access_key_secret,
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": str(home / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "none"),
    }

    def run(*arguments, check=True):
        result = subprocess.run(
            [AWS, "--endpoint-url", endpoint, *arguments], env=environment, capture_output=True, text=True, timeout=300)
        if check and result.returncode != 0:
            raise AssertionError(f"aws {' '.join(arguments)} failed ({result.returncode}): {result.stderr}")
        return result

    return run


@pytest.fixture
def cli_bucket(aws):
    name = random_name("cli")
    aws("s3", "mb", f"s3://{name}")
    yield name
    aws("s3", "rb", f"s3://{name}", "--force")


def test_cp_ls_and_rm(aws, cli_bucket, tmp_path):
    small = tmp_path / "small.txt"
    small.write_bytes(b"hello from the aws cli\n")
    large = tmp_path / "large.bin"
    large.write_bytes(os.urandom(20 * 1024 * 1024 + 7))  # above the CLI's 8 MiB multipart threshold
    aws("s3", "cp", str(small), f"s3://{cli_bucket}/docs/small.txt")
    aws("s3", "cp", str(large), f"s3://{cli_bucket}/large.bin")
    listing = aws("s3", "ls", f"s3://{cli_bucket}/", "--recursive").stdout
    assert "docs/small.txt" in listing and "large.bin" in listing
    assert str(20 * 1024 * 1024 + 7) in listing
    back = tmp_path / "back.bin"
    aws("s3", "cp", f"s3://{cli_bucket}/large.bin", str(back))
    assert back.read_bytes() == large.read_bytes()
    aws("s3", "rm", f"s3://{cli_bucket}/docs/small.txt")
    assert "small.txt" not in aws("s3", "ls", f"s3://{cli_bucket}/", "--recursive").stdout


def test_sync_up_change_and_down(aws, cli_bucket, tmp_path):
    source = tmp_path / "tree"
    for name in ["a.txt", "sub/b.txt", "sub/deeper/c.bin"]:
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(1000 + len(name)))
        # Listings give LastModified in whole seconds (as S3 and OSS do), and `aws s3 sync` uploads
        # a file whose mtime is later: files written in the second of the upload would go again.
        os.utime(path, (time.time() - 60, time.time() - 60))
    first = aws("s3", "sync", str(source), f"s3://{cli_bucket}/tree/").stdout
    assert first.count("upload:") == 3
    assert aws("s3", "sync", str(source), f"s3://{cli_bucket}/tree/").stdout.count("upload:") == 0
    (source / "a.txt").write_bytes(b"changed, and of another size")
    (source / "sub" / "b.txt").unlink()
    changed = aws("s3", "sync", str(source), f"s3://{cli_bucket}/tree/", "--delete").stdout
    assert changed.count("upload:") == 1 and changed.count("delete:") == 1
    target = tmp_path / "down"
    aws("s3", "sync", f"s3://{cli_bucket}/tree/", str(target))
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file()) == ["a.txt", "sub/deeper/c.bin"]
    assert (target / "a.txt").read_bytes() == b"changed, and of another size"
    aws("s3", "rm", f"s3://{cli_bucket}/tree/", "--recursive")
    assert aws("s3api", "list-objects-v2", "--bucket", cli_bucket, "--output", "json").stdout.strip() in ("", "{}") or \
        "Contents" not in json.loads(aws("s3api", "list-objects-v2", "--bucket", cli_bucket, "--output", "json").stdout)


def test_s3api_put_with_crc64nvme_and_head(aws, cli_bucket, tmp_path):
    body = tmp_path / "body.bin"
    body.write_bytes(os.urandom(4096))
    put = json.loads(aws("s3api", "put-object", "--bucket", cli_bucket, "--key", "k", "--body", str(body),
                         "--checksum-algorithm", "CRC64NVME", "--output", "json").stdout)
    head = json.loads(aws("s3api", "head-object", "--bucket", cli_bucket, "--key", "k", "--checksum-mode", "ENABLED",
                          "--output", "json").stdout)
    assert head["ChecksumCRC64NVME"] == put["ChecksumCRC64NVME"]
    assert head["ContentLength"] == 4096


def test_errors_read_as_on_s3(aws, cli_bucket):
    missing = aws("s3api", "head-object", "--bucket", cli_bucket, "--key", "missing", check=False)
    assert missing.returncode != 0 and "404" in missing.stderr
    nosuch = aws("s3", "ls", f"s3://{random_name('absent')}/", check=False)
    assert nosuch.returncode != 0 and "NoSuchBucket" in nosuch.stderr


def test_presign(aws, cli_bucket, tmp_path):
    import urllib.error
    import urllib.request

    body = tmp_path / "p.txt"
    body.write_bytes(b"presigned by the aws cli")
    aws("s3", "cp", str(body), f"s3://{cli_bucket}/p.txt")
    # awscli v1 presigns with the legacy Signature V2 unless told otherwise; refused in one clear
    # line, as S3 regions opened since 2014 refuse it.
    legacy = aws("s3", "presign", f"s3://{cli_bucket}/p.txt", "--expires-in", "60").stdout.strip()
    assert "AWSAccessKeyId=" in legacy
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(legacy)
    assert excinfo.value.code == 400
    assert b"signature_version s3v4" in excinfo.value.read()
    aws("configure", "set", "default.s3.signature_version", "s3v4")
    url = aws("s3", "presign", f"s3://{cli_bucket}/p.txt", "--expires-in", "60").stdout.strip()
    assert "X-Amz-Signature=" in url
    with urllib.request.urlopen(url) as response:
        assert response.read() == b"presigned by the aws cli"
