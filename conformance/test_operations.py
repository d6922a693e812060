"""What an operator reads of a running `oss serve`: its metrics, scraped from the admin listener and
parsed by prometheus_client's own text parser as Prometheus would read them, and its request
records, written as JSON lines (`--log-format json`).

The counters must move by exactly what the official SDK did: stores and reads, a 404, a CRC-64 the
client declared wrongly (refused on the way in), and stored bytes that rotted on disk (refused on
the way out).
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import oss2
import pytest
from prometheus_client.parser import text_string_to_metric_families

from cluster import free_port
from oss_conformance import crc64, expect_failure, expect_failure_status, fresh_credentials, random_bytes, start_server

BUCKET = "operations-test"


class Operated:
    def __init__(self, server, admin, data: Path, bucket: oss2.Bucket, secret: str, access_key_id: str = ""):
        self.access_key_id = access_key_id
        self.server = server
        self.admin = admin
        self.data = data
        self.bucket = bucket
        self.secret = secret

    def samples(self):
        """Every sample of a scrape, by (name, sorted labels)."""
        with urllib.request.urlopen(f"{self.admin}/metrics", timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            text = response.read().decode()
        samples = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return samples


@pytest.fixture(scope="module")
def operated(server_binary, tmp_path_factory):
    data = tmp_path_factory.mktemp("operations-data")
    admin_port = free_port()
    credentials = fresh_credentials()
    server = start_server(server_binary, data, [BUCKET], credentials,
                          extra_args=["--admin-address", f"127.0.0.1:{admin_port}", "--log-format", "json"])
    wait_for_admin(f"http://127.0.0.1:{admin_port}")
    auth = oss2.Auth(credentials.access_key_id, credentials.access_key_secret)
    yield Operated(server, f"http://127.0.0.1:{admin_port}", data, oss2.Bucket(auth, server.endpoint, BUCKET),
                   credentials.access_key_secret, credentials.access_key_id)
    server.stop()


def wait_for_admin(admin: str):
    """The admin listener starts just after the OSS one, which `start_server` waits for."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{admin}/health/live", timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.URLError:
            pass
        assert time.monotonic() < deadline, f"the admin listener at {admin} did not answer within 30 s"
        time.sleep(0.05)


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_move_by_exactly_what_the_sdk_did(operated):
    bucket = operated.bucket
    before = operated.samples()
    small, wrong, rotten = random_bytes(1000), random_bytes(700), random_bytes(200_000)

    bucket.put_object("metrics/small", small)
    expect_failure(lambda: bucket.put_object("metrics/wrong", wrong, headers={"x-oss-hash-crc64ecma": str(crc64(small))}),
                   400, "InvalidDigest")
    assert bucket.get_object("metrics/small").read() == small
    expect_failure(lambda: bucket.get_object("metrics/missing"), 404, "NoSuchKey")
    # Above the inline limit: its bytes are the one blob file of the data folder; one byte rots.
    bucket.put_object("metrics/rotten", rotten)
    blobs = [path for path in (operated.data / "blobs").rglob("*") if path.is_file()]
    assert len(blobs) == 1, blobs
    with open(blobs[0], "r+b") as blob:
        blob.seek(1234)
        byte = blob.read(1)
        blob.seek(1234)
        blob.write(bytes([byte[0] ^ 0x01]))
    expect_failure_status(lambda: bucket.get_object("metrics/rotten").read(), 500)

    # A request is recorded once its answer has left, which the SDK may see first.
    deadline = time.monotonic() + 10
    while True:
        after = operated.samples()
        if value(after, "oss_request_duration_seconds_count", operation="GetObject") \
                - value(before, "oss_request_duration_seconds_count", operation="GetObject") >= 3 \
                or time.monotonic() > deadline:
            break
        time.sleep(0.05)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("oss_requests_total", operation="PutObject", status="200") == 2
    assert moved("oss_requests_total", operation="PutObject", status="400") == 1
    assert moved("oss_requests_total", operation="GetObject", status="200") == 1
    assert moved("oss_requests_total", operation="GetObject", status="404") == 1
    assert moved("oss_requests_total", operation="GetObject", status="500") == 1
    assert moved("oss_request_duration_seconds_count", operation="PutObject") == 3
    assert moved("oss_crc_mismatches_total", caught="upload") == 1
    assert moved("oss_crc_mismatches_total", caught="read") == 1
    assert moved("oss_received_bytes_total", operation="PutObject") == len(small) + len(wrong) + len(rotten)
    # The stored bytes, and the two error documents.
    sent = moved("oss_sent_bytes_total", operation="GetObject")
    assert len(small) < sent < len(small) + 4096, sent


def test_bucket_figures(server_binary, tmp_path):
    """Objects and bytes per bucket, counted from the metadata when scraped (at most every 30 s:
    so on a server of its own, scraped first after the writes)."""
    admin_port = free_port()
    credentials = fresh_credentials()
    server = start_server(server_binary, tmp_path / "figures", ["figures-a", "figures-b"], credentials,
                          extra_args=["--admin-address", f"127.0.0.1:{admin_port}"])
    try:
        wait_for_admin(f"http://127.0.0.1:{admin_port}")
        auth = oss2.Auth(credentials.access_key_id, credentials.access_key_secret)
        bucket = oss2.Bucket(auth, server.endpoint, "figures-a")
        bucket.put_object("one", b"x" * 10)
        bucket.put_object("two", b"y" * 100_000)
        bucket.put_object("two", b"z" * 20)  # an overwrite: still two objects
        samples = Operated(server, f"http://127.0.0.1:{admin_port}", tmp_path, bucket, "").samples()
        assert value(samples, "oss_bucket_objects", bucket="figures-a") == 2
        assert value(samples, "oss_bucket_stored_bytes", bucket="figures-a") == 30
        assert ("oss_bucket_objects", (("bucket", "figures-b"),)) in samples
        assert value(samples, "oss_bucket_objects", bucket="figures-b") == 0
    finally:
        server.stop()


def test_open_connections_are_counted(operated):
    def opened():
        return value(operated.samples(), "oss_open_connections")

    before = opened()
    host, port = operated.server.endpoint.removeprefix("http://").split(":")
    sockets = []
    for _ in range(3):
        connection = socket.create_connection((host, int(port)), timeout=10)
        # Answered (403: unsigned), so surely accepted; the connection stays open after it.
        connection.sendall(b"GET /" + BUCKET.encode() + b"/none HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert connection.recv(12).startswith(b"HTTP/1.1 403")
        sockets.append(connection)
    assert opened() == before + 3
    for connection in sockets:
        connection.close()
    deadline = time.monotonic() + 10
    while opened() != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened() == before


def test_request_records_are_json_lines_without_secrets(operated):
    mark = operated.server.mark()
    body = random_bytes(321)
    result = operated.bucket.put_object("records/one", body)
    url = operated.bucket.sign_url("GET", "records/one", 60)
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == body
    deadline = time.monotonic() + 10
    while True:
        records = [json.loads(line) for line in operated.server.output(since=mark).splitlines() if line.startswith("{")]
        requests = [record for record in records if record.get("operation") in ("PutObject", "GetObject")]
        if len(requests) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    put, get = requests[0], requests[1]
    assert put["operation"] == "PutObject" and put["bucket"] == BUCKET and put["key"] == "records/one"
    assert put["bytes-in"] == "321" and put["request-id"] == result.request_id
    # The path as sent (oss2 escapes the slash); the key decoded.
    assert put["level"] == "info" and re.match(rf"PUT /{BUCKET}/records(/|%2F)one 200 \d+ ms$", put["message"]), put
    assert get["operation"] == "GetObject" and get["bytes-out"] == "321"
    assert get["principal"].endswith("/" + operated.access_key_id)
    # The log lines (the start-up banner, not a log record, shows a dev key pair to copy).
    logged = [line for line in operated.server.output().splitlines() if line.startswith("{")]
    assert len(logged) >= 2
    assert not any(operated.secret in line or "Signature" in line or "?" in line for line in logged), logged
