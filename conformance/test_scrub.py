"""The scrubber on a real `oss serve`: a pass started on the admin listener finds a byte that rotted
in a blob file nobody read, the official SDK is then refused the object on GET and HEAD, and a pass
cut by `kill -9` goes on from where it stopped after the restart.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path

import oss2
import pytest

from cluster import free_port
from oss_conformance import expect_failure_status, fresh_credentials, random_bytes, start_server

BUCKET = "scrub-test"


def admin_request(admin: str, method: str, path: str):
    request = urllib.request.Request(f"{admin}{path}", method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def status(admin: str) -> dict:
    code, text = admin_request(admin, "GET", "/scrub")
    assert code == 200, text
    return dict(line.split(": ", 1) for line in text.splitlines())


def wait_for(condition, what: str, limit: float = 120):
    """A liveness bound, not a speed claim. An admin listener not yet listening (it starts just after
    the OSS one, which `start` waits for) counts as not yet."""
    deadline = time.monotonic() + limit
    while True:
        try:
            if condition():
                return
        except urllib.error.URLError:
            pass
        assert time.monotonic() < deadline, f"{what} did not happen within {limit:.0f} s"
        time.sleep(0.1)


def start(binary, data: Path, credentials, admin_port: int, rate: str):
    """A server, once its admin listener answers too."""
    server = start_server(binary, data, [BUCKET], credentials,
                          extra_args=["--admin-address", f"127.0.0.1:{admin_port}", "--scrub-rate", rate])
    wait_for(lambda: admin_request(f"http://127.0.0.1:{admin_port}", "GET", "/health/live")[0] == 200,
             "the admin listener", limit=30)
    return server


def blob_files(data: Path):
    return sorted(path for path in (data / "blobs").rglob("*") if path.is_file())


def flip_bit(path: Path, offset: int, mask: int):
    """Changes one byte of a file in place, as rot on a disk would."""
    with open(path, "r+b") as blob:
        blob.seek(offset)
        byte = blob.read(1)
        blob.seek(offset)
        blob.write(bytes([byte[0] ^ mask]))


def test_a_pass_started_online_finds_rot_and_the_sdk_is_refused_the_object(server_binary, tmp_path):
    admin_port, credentials = free_port(), fresh_credentials()
    server = start(server_binary, tmp_path / "data", credentials, admin_port, "1000")
    admin = f"http://127.0.0.1:{admin_port}"
    try:
        bucket = oss2.Bucket(oss2.Auth(credentials.access_key_id, credentials.access_key_secret), server.endpoint, BUCKET)
        bucket.put_object("rotten", random_bytes(300_000, seed="rotten"))
        bucket.put_object("whole", random_bytes(300_000, seed="whole"))
        rotten_blob = [path for path in blob_files(tmp_path / "data")
                       if path.read_bytes() == random_bytes(300_000, seed="rotten")]
        assert len(rotten_blob) == 1
        flip_bit(rotten_blob[0], 250_000, 0x40)

        code, text = admin_request(admin, "POST", "/scrub")
        assert code == 202, text
        wait_for(lambda: status(admin).get("running") == "false" and "last finished" in status(admin), "the pass")
        assert status(admin)["damaged"] == "1"
        assert status(admin)["blobs"] == "2"

        failure = expect_failure_status(lambda: bucket.get_object("rotten", byte_range=(0, 99)).read(), 500)
        assert failure.code == "InternalError"
        expect_failure_status(lambda: bucket.head_object("rotten"), 500)
        assert bucket.get_object("whole").read() == random_bytes(300_000, seed="whole")
        # Uploaded again: served again.
        bucket.put_object("rotten", random_bytes(300_000, seed="rotten"))
        assert bucket.get_object("rotten").read() == random_bytes(300_000, seed="rotten")
    finally:
        server.stop()


def test_a_damaged_part_of_an_unfinished_upload_is_found_and_complete_names_it(server_binary, tmp_path):
    admin_port, credentials = free_port(), fresh_credentials()
    server = start(server_binary, tmp_path / "data", credentials, admin_port, "1000")
    admin = f"http://127.0.0.1:{admin_port}"
    try:
        bucket = oss2.Bucket(oss2.Auth(credentials.access_key_id, credentials.access_key_secret), server.endpoint, BUCKET)
        first, second = random_bytes(150_000, seed="part-1"), random_bytes(150_000, seed="part-2")
        upload_id = bucket.init_multipart_upload("assembled").upload_id
        parts = [oss2.models.PartInfo(number, bucket.upload_part("assembled", upload_id, number, data).etag)
                 for number, data in ((1, first), (2, second))]
        rotten = [path for path in blob_files(tmp_path / "data") if path.read_bytes() == first]
        assert len(rotten) == 1
        flip_bit(rotten[0], 100_000, 0x01)

        code, text = admin_request(admin, "POST", "/scrub")
        assert code == 202, text
        wait_for(lambda: status(admin).get("running") == "false" and "last finished" in status(admin), "the pass")
        assert status(admin)["damaged"] == "1"
        assert status(admin)["blobs"] == "2"

        failure = expect_failure_status(lambda: bucket.complete_multipart_upload("assembled", upload_id, parts), 400)
        assert failure.code == "InvalidPart"
        assert "Part 1" in str(failure.error) and "damaged" in str(failure.error)
        # The part uploaded again: the upload completes, every byte and the CRC-64 checked by oss2.
        parts[0] = oss2.models.PartInfo(1, bucket.upload_part("assembled", upload_id, 1, first).etag)
        bucket.complete_multipart_upload("assembled", upload_id, parts)
        assert bucket.get_object("assembled").read() == first + second
    finally:
        server.stop()


def test_a_pass_killed_midway_goes_on_from_where_it_stopped(server_binary, tmp_path):
    admin_port, credentials = free_port(), fresh_credentials()
    data = tmp_path / "data"
    # Eight blobs of 1 MB at 2 MB/s: a pass of four seconds, killed halfway.
    server = start(server_binary, data, credentials, admin_port, "2")
    admin = f"http://127.0.0.1:{admin_port}"
    try:
        bucket = oss2.Bucket(oss2.Auth(credentials.access_key_id, credentials.access_key_secret), server.endpoint, BUCKET)
        for index in range(8):
            bucket.put_object(f"k{index}", random_bytes(1_000_000, seed=f"k{index}"))
        assert admin_request(admin, "POST", "/scrub")[0] == 202
        # The position is saved at the first blob a second or more after the last save: past four
        # blobs (two seconds), one has been saved.
        wait_for(lambda: int(status(admin)["blobs"]) >= 4, "four blobs checked")
        server.kill9()
        server = start(server_binary, data, credentials, admin_port, "2")
        # A pass left unfinished is due at once.
        wait_for(lambda: "last finished" in status(admin), "the resumed pass")
        resumed = int(status(admin)["blobs"])
        assert 0 < resumed < 8, resumed
        assert status(admin)["damaged"] == "0"
    finally:
        server.stop()
