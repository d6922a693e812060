"""`oss serve --tls-certificate FILE --tls-key FILE`: both official SDKs and the `oss` CLI over
HTTPS, trusting a CA this test makes (verification stays on, as in production), every CRC-64
checked by the SDK; the certificate renewed in place and read again on SIGHUP without dropping a
connection; plain HTTP on the HTTPS port answered with an error that says so.
"""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import os
import signal
import ssl
import subprocess
import time
from pathlib import Path

import alibabacloud_oss_v2 as oss
import oss2
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from oss_conformance import crc64, fresh_credentials, random_bytes, start_server

BUCKET = "tls-test"
REGION = "cn-hangzhou"


class Authority:
    """A throwaway CA that issues server certificates for 127.0.0.1."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "swift-oss conformance CA")])
        now = datetime.datetime.now(datetime.timezone.utc)
        self.certificate = (
            x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.bundle = folder / "ca.pem"
        self.bundle.write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))

    def issue(self, certificate_path: Path, key_path: Path) -> x509.Certificate:
        """Writes a new server certificate and key at these paths (in place, as a renewal does)."""
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(self.name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        return certificate


class Secured:
    def __init__(self, server, authority: Authority, certificate: Path, key: Path, served: x509.Certificate, credentials):
        self.server = server
        self.authority = authority
        self.certificate = certificate
        self.key = key
        self.served = served
        self.credentials = credentials

    @property
    def port(self) -> int:
        return int(self.server.endpoint.rsplit(":", 1)[1])

    def connection(self) -> http.client.HTTPSConnection:
        context = ssl.create_default_context(cafile=str(self.authority.bundle))
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=context, timeout=30)


@pytest.fixture(scope="module")
def secured(server_binary, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    authority = Authority(folder)
    certificate, key = folder / "server.pem", folder / "server.key"
    served = authority.issue(certificate, key)
    credentials = fresh_credentials()
    server = start_server(server_binary, folder / "data", [BUCKET], credentials,
                          extra_args=["--tls-certificate", str(certificate), "--tls-key", str(key)])
    yield Secured(server, authority, certificate, key, served, credentials)
    server.stop()


@pytest.fixture
def trusted(secured, monkeypatch):
    """Both SDKs send through `requests`, which takes a CA bundle from REQUESTS_CA_BUNDLE."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(secured.authority.bundle))
    return secured


def test_the_server_says_it_listens_on_https(secured):
    assert secured.server.endpoint.startswith("https://127.0.0.1:")


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3])
def test_tls_1_2_and_1_3_are_both_served(secured, version):
    # README: "serves HTTPS (TLS 1.2 and 1.3)": a client limited to either one completes a request.
    context = ssl.create_default_context(cafile=str(secured.authority.bundle))
    context.minimum_version = context.maximum_version = version
    connection = http.client.HTTPSConnection("127.0.0.1", secured.port, context=context, timeout=30)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        assert response.status in (200, 403)
        assert connection.sock.version() == {ssl.TLSVersion.TLSv1_2: "TLSv1.2", ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[version]
    finally:
        connection.close()


def test_oss2_over_https_with_crc(trusted):
    auth = oss2.Auth(trusted.credentials.access_key_id, trusted.credentials.access_key_secret)
    bucket = oss2.Bucket(auth, trusted.server.endpoint, BUCKET, connect_timeout=30)
    data = random_bytes(300_000)
    put = bucket.put_object("oss2/object", data)
    assert int(put.headers["x-oss-hash-crc64ecma"]) == crc64(data)
    read = bucket.get_object("oss2/object")  # oss2 checks the CRC-64 itself (enable_crc)
    assert read.read() == data
    assert read.server_crc == crc64(data)
    # Multipart, resumable: every part and the whole checked by oss2.
    source = Path(trusted.authority.folder) / "large.bin"
    large = random_bytes(1_200_000)
    source.write_bytes(large)
    oss2.resumable_upload(bucket, "oss2/large", str(source), multipart_threshold=200_000, part_size=100 * 1024,
                          store=oss2.ResumableStore(root=str(trusted.authority.folder)))
    assert bucket.get_object("oss2/large").read() == large


def test_v2_sdk_over_https_with_crc(trusted):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        trusted.credentials.access_key_id, trusted.credentials.access_key_secret)
    cfg.region = REGION
    cfg.endpoint = trusted.server.endpoint
    cfg.use_path_style = True
    client = oss.Client(cfg)
    data = random_bytes(250_000)
    put = client.put_object(oss.PutObjectRequest(bucket=BUCKET, key="v2/object", body=data))
    assert int(put.hash_crc64) == crc64(data)
    got = client.get_object(oss.GetObjectRequest(bucket=BUCKET, key="v2/object"))
    assert got.body.read() == data
    assert int(got.hash_crc64) == crc64(data)


def test_sdks_refuse_the_certificate_without_the_ca(secured, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    auth = oss2.Auth(secured.credentials.access_key_id, secured.credentials.access_key_secret)
    bucket = oss2.Bucket(auth, secured.server.endpoint, BUCKET, connect_timeout=10)
    with pytest.raises(oss2.exceptions.RequestError) as refused:
        bucket.put_object("never", b"x")
    assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)


def test_plain_http_on_the_https_port_is_told_to_use_https(secured):
    response = requests.get(f"http://127.0.0.1:{secured.port}/{BUCKET}/x", timeout=30)
    assert response.status_code == 400
    assert "<Code>InvalidRequest</Code>" in response.text
    assert "https://" in response.text


def test_cli_over_https_with_ca_bundle(secured, server_binary, tmp_path):
    env = dict(os.environ, OSS_ACCESS_KEY_ID=secured.credentials.access_key_id,
               OSS_ACCESS_KEY_SECRET=secured.credentials.access_key_secret)
    source = tmp_path / "cli.bin"
    data = random_bytes(100_000)
    source.write_bytes(data)
    connection = ["--endpoint", secured.server.endpoint, "--ca-bundle", str(secured.authority.bundle)]
    subprocess.run([str(server_binary), "cp", str(source), f"oss://{BUCKET}/cli/object", *connection],
                   env=env, check=True, capture_output=True, timeout=60)
    read = subprocess.run([str(server_binary), "cat", f"oss://{BUCKET}/cli/object", *connection],
                          env=env, check=True, capture_output=True, timeout=60)
    assert read.stdout == data
    missing = subprocess.run([str(server_binary), "ls", f"oss://{BUCKET}/", "--endpoint", secured.server.endpoint,
                              "--ca-bundle", str(tmp_path / "missing.pem")], env=env, capture_output=True, timeout=60)
    assert missing.returncode != 0
    assert "--ca-bundle" in missing.stderr.decode()


def _serial(connection: http.client.HTTPSConnection) -> int:
    der = connection.sock.getpeercert(binary_form=True)
    return x509.load_der_x509_certificate(der).serial_number


def _get_root(connection: http.client.HTTPSConnection) -> int:
    connection.request("GET", f"/{BUCKET}/missing-key")
    response = connection.getresponse()
    response.read()
    return response.status


def _signal_and_wait(server, line: str):
    """Sends SIGHUP and waits (a liveness bound) until the server logs `line`."""
    mark = server.mark()
    server.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 30
    while line not in server.output(since=mark):
        assert time.monotonic() < deadline, server.output(since=mark)
        time.sleep(0.05)


def test_sighup_renews_the_certificate_without_dropping_connections(trusted):
    secured = trusted
    auth = oss2.Auth(secured.credentials.access_key_id, secured.credentials.access_key_secret)
    bucket = oss2.Bucket(auth, secured.server.endpoint, BUCKET, connect_timeout=30)
    data = random_bytes(16 << 20)
    bucket.put_object("renewal/large", data)
    # A download under way when the certificate is renewed: started now, finished after the reload.
    transfer = bucket.get_object("renewal/large")
    head = transfer.read(1 << 20)

    before = secured.connection()
    assert _get_root(before) in (403, 404)
    assert _serial(before) == secured.served.serial_number

    # A renewal tool writes the new files in place, then signals the server.
    renewed = secured.authority.issue(secured.certificate, secured.key)
    _signal_and_wait(secured.server, "reloaded the TLS certificate")

    after = secured.connection()
    assert _get_root(after) in (403, 404)
    assert _serial(after) == renewed.serial_number
    # The connection opened before the reload is still served, with the certificate it began with.
    assert _get_root(before) in (403, 404)
    assert _serial(before) == secured.served.serial_number
    before.close()
    after.close()
    # The download goes on over its connection and ends whole (oss2 checks its CRC-64 at the end).
    assert head + transfer.read() == data
    assert transfer.server_crc == crc64(data)

    # A half-written renewal is refused and the renewed certificate stays in effect.
    secured.certificate.write_text("-----BEGIN CERTIFICATE-----\n")
    _signal_and_wait(secured.server, "reloading the TLS certificate failed")
    still = secured.connection()
    assert _get_root(still) in (403, 404)
    assert _serial(still) == renewed.serial_number
    still.close()
    assert secured.server.running


# ---------------------------------------------------------------------------------------------
# S3 over HTTPS: what the AWS SDKs send by default there is an aws-chunked body whose checksum
# follows it as a trailer (x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER).


def _s3_over_https(secured):
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3", endpoint_url=f"https://127.0.0.1:{secured.port}", verify=str(secured.authority.bundle),
        aws_access_key_id=secured.credentials.access_key_id,
        aws_secret_access_key=secured.credentials.access_key_secret, region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
    sent = []

    def capture(request, **_):
        sent.append({name.lower(): value.decode() if isinstance(value, bytes) else value for name, value in request.headers.items()})

    client.meta.events.register("before-send.s3.*", capture)
    return client, sent


@pytest.mark.parametrize("algorithm", [None, "CRC32C", "CRC64NVME", "SHA256"])
def test_boto3_over_https_sends_trailing_checksums_and_they_are_checked(secured, algorithm, tmp_path):
    import base64

    s3, sent = _s3_over_https(secured)
    body = random_bytes(300_000)
    extra = {"ChecksumAlgorithm": algorithm} if algorithm else {}
    put = s3.put_object(Bucket=BUCKET, Key=f"s3-trailer-{algorithm}", Body=body, **extra)
    request = sent[-1]
    assert request["x-amz-content-sha256"] == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    assert request["x-amz-trailer"] == "x-amz-checksum-" + (algorithm or "CRC32").lower()
    name = "Checksum" + (algorithm or "CRC32")
    head = s3.head_object(Bucket=BUCKET, Key=f"s3-trailer-{algorithm}", ChecksumMode="ENABLED")
    assert head[name] == put[name]
    assert head["ContentLength"] == len(body)
    if algorithm == "SHA256":
        import hashlib
        assert put[name] == base64.b64encode(hashlib.sha256(body).digest()).decode()
    got = s3.get_object(Bucket=BUCKET, Key=f"s3-trailer-{algorithm}", ChecksumMode="ENABLED")
    assert got["Body"].read() == body
    # The object is the same one OSS clients see, with its CRC-64/XZ.
    assert int(got["ResponseMetadata"]["HTTPHeaders"]["x-oss-hash-crc64ecma"]) == crc64(body)


def test_boto3_multipart_over_https_with_trailers(secured, tmp_path):
    from boto3.s3.transfer import TransferConfig

    s3, sent = _s3_over_https(secured)
    body = random_bytes(11 * 1024 * 1024)
    source = tmp_path / "big.bin"
    source.write_bytes(body)
    config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
    s3.upload_file(str(source), BUCKET, "s3-trailer-multipart", Config=config)
    streamed = [headers for headers in sent if headers.get("x-amz-content-sha256") == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"]
    assert len(streamed) == 3  # the three parts
    target = tmp_path / "back.bin"
    s3.download_file(BUCKET, "s3-trailer-multipart", str(target))
    assert target.read_bytes() == body
    head = s3.head_object(Bucket=BUCKET, Key="s3-trailer-multipart", ChecksumMode="ENABLED")
    assert head["ContentLength"] == len(body)


def test_a_wrong_trailing_checksum_is_bad_digest(secured):
    """The body is sent as botocore frames it, with a trailer whose CRC-32 is not the body's."""
    import zlib

    body = b"hello, trailers"
    wrong = base64_crc((zlib.crc32(body) ^ 1) & 0xFFFFFFFF)
    framed = (b"%x\r\n" % len(body)) + body + b"\r\n0\r\nx-amz-checksum-crc32:" + wrong.encode() + b"\r\n\r\n"
    status, text = _signed_streaming_put(secured, "s3-wrong-trailer", framed, len(body))
    assert status == 400 and "<Code>BadDigest</Code>" in text
    right = base64_crc(zlib.crc32(body))
    framed = (b"%x\r\n" % len(body)) + body + b"\r\n0\r\nx-amz-checksum-crc32:" + right.encode() + b"\r\n\r\n"
    status, text = _signed_streaming_put(secured, "s3-right-trailer", framed, len(body))
    assert status == 200, text


def base64_crc(value: int) -> str:
    import base64
    return base64.b64encode(value.to_bytes(4, "big")).decode()


def _signed_streaming_put(secured, key, framed, decoded_length):
    """A PutObject signed by botocore's own SigV4 signer, with a body framed by hand."""
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    url = f"https://127.0.0.1:{secured.port}/{BUCKET}/{key}"
    headers = {
        "Content-Encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "x-amz-trailer": "x-amz-checksum-crc32", "x-amz-decoded-content-length": str(decoded_length),
        "Content-Length": str(len(framed)),
    }
    request = AWSRequest(method="PUT", url=url, data=framed, headers=headers)
    request.context["checksum"] = {"request_algorithm": {"in": "trailer", "algorithm": "crc32", "name": "x-amz-checksum-crc32"}}
    S3SigV4Auth(Credentials(secured.credentials.access_key_id, secured.credentials.access_key_secret), "s3", "us-east-1").add_auth(request)
    prepared = request.prepare()
    response = requests.put(url, data=framed, headers=dict(prepared.headers), verify=str(secured.authority.bundle))
    return response.status_code, response.text
