"""Crash safety: a writer thread stores objects of several sizes and multipart uploads on a separate
server while the server is killed with SIGKILL, several times, and restarted on the same data folder.

After every restart:
- every acknowledged object (PutObject or Complete returned 200) reads back whole, with the CRC it
  was acknowledged with;
- every listed object is one the writer sent, complete: its size, bytes and CRC are those of what
  was sent (an unacknowledged write may or may not have landed, but never partially);
- every acknowledged part of an unfinished upload is still listed with its ETag, size and
  HashCrc64ecma, a part that was in flight is either absent or whole, and the upload completes
  with the combined CRC.

The kills are not timed: the main thread waits until the writer has had a given number of
acknowledgements in the round, then kills the server while the writer is busy with the next request.
Where exactly that lands varies; the checks hold wherever it lands.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import oss2
import pytest

from oss_conformance import (
    V2Flavor,
    assert_crc_header,
    crc64,
    fresh_credentials,
    random_bytes,
    start_server,
)

BUCKET = "crash-test"
# The writer's acknowledgements follow PLAN, one per PutObject, Initiate, UploadPart and Complete:
# 1-3 puts, 4 initiate, 5-7 parts, 8 complete, 9-10 puts, 11 initiate, 12-14 parts, 15 complete,
# 16 put (3 MiB). Killing right after ack N aims at request N+1: an initiate, a part, a Complete,
# a 1 MiB put and a 3 MiB put.
KILL_AFTER = (3, 6, 7, 9, 15)
MAX_OPS_PER_ROUND = 400  # a bound: the writer never runs unbounded
WAIT_LIMIT = 600.0  # a failsafe only; the waits are for events, not for time

PART_SIZES = (102400 + 17, 102400, 3333)
PLAN = [("put", 0), ("put", 1), ("put", 4096), ("multipart", None), ("put", 100 * 1024 + 1),
        ("put", 1024 * 1024 + 5), ("multipart", None), ("put", 3 * 1024 * 1024)]


def content(name: str, size: int) -> bytes:
    return random_bytes(size, seed=name)


@dataclass
class Upload:
    key: str
    upload_id: str
    acked_parts: Dict[int, Tuple[str, int, int]] = field(default_factory=dict)  # n -> (etag, size, crc)
    complete_attempted: bool = False
    complete_acked: bool = False
    finished_after_restart: bool = False


@dataclass
class Ledger:
    attempted: Dict[str, Tuple[int, int]] = field(default_factory=dict)  # key -> (size, crc) of what was sent
    acked: Dict[str, int] = field(default_factory=dict)  # key -> acknowledged CRC
    uploads: Dict[str, Upload] = field(default_factory=dict)
    unexpected: List[str] = field(default_factory=list)


class Writer(threading.Thread):
    def __init__(self, bucket: oss2.Bucket, ledger: Ledger, round_number: int, killed: threading.Event):
        super().__init__(daemon=True)
        self.bucket = bucket
        self.ledger = ledger
        self.round = round_number
        self.killed = killed
        self.acks = 0
        self.cond = threading.Condition()
        self.finished = False

    def ack(self):
        with self.cond:
            self.acks += 1
            self.cond.notify_all()

    def run(self):
        try:
            for i in range(MAX_OPS_PER_ROUND):
                kind, size = PLAN[i % len(PLAN)]
                if kind == "put":
                    self.put(f"r{self.round}/put-{i:03d}-{size}", size)
                else:
                    self.multipart(f"r{self.round}/mp-{i:03d}")
        except Exception as error:  # noqa: BLE001 - classified below
            if not self.killed.is_set():
                self.ledger.unexpected.append(f"round {self.round}: {error!r}")
        finally:
            with self.cond:
                self.finished = True
                self.cond.notify_all()

    def put(self, key: str, size: int):
        data = content(key, size)
        expected = crc64(data)
        self.ledger.attempted[key] = (size, expected)
        result = self.bucket.put_object(key, data)  # oss2 checks the CRC header itself
        if result.crc != expected:
            self.ledger.unexpected.append(f"PUT {key}: acknowledged CRC {result.crc}, sent {expected}")
        self.ledger.acked[key] = result.crc
        self.ack()

    def multipart(self, key: str):
        upload_id = self.bucket.init_multipart_upload(key).upload_id
        upload = self.ledger.uploads[upload_id] = Upload(key, upload_id)
        self.ack()
        infos = []
        for n, size in enumerate(PART_SIZES, start=1):
            data = content(f"{key}#{n}", size)
            result = self.bucket.upload_part(key, upload_id, n, data)
            if result.crc != crc64(data):
                self.ledger.unexpected.append(f"UploadPart {key}#{n}: acknowledged CRC {result.crc}")
            upload.acked_parts[n] = (result.etag, size, result.crc)
            infos.append(oss2.models.PartInfo(n, result.etag, size=size, part_crc=result.crc))
            self.ack()
        whole = b"".join(content(f"{key}#{n}", size) for n, size in enumerate(PART_SIZES, start=1))
        self.ledger.attempted[key] = (len(whole), crc64(whole))
        upload.complete_attempted = True
        result = self.bucket.complete_multipart_upload(key, upload_id, infos)  # oss2 checks the combination
        upload.complete_acked = True
        self.ledger.acked[key] = result.crc
        self.ack()


def planned_part(key: str, n: int) -> bytes:
    return content(f"{key}#{n}", PART_SIZES[n - 1])


def verify(server, ledger: Ledger, credentials) -> None:
    auth = oss2.Auth(credentials.access_key_id, credentials.access_key_secret)
    bucket = oss2.Bucket(auth, server.endpoint, BUCKET, connect_timeout=30)
    v2 = V2Flavor(server.endpoint, credentials, "v4")

    # 1. every acknowledged object, with the CRC it was acknowledged with
    for key, acked_crc in sorted(ledger.acked.items()):
        try:
            result = bucket.get_object(key)
        except oss2.exceptions.NoSuchKey:
            pytest.fail(f"acknowledged object {key} is gone after the crash")
        body = result.read()
        assert crc64(body) == acked_crc, f"{key}: content CRC {crc64(body)} != acknowledged {acked_crc}"
        assert len(body) == ledger.attempted[key][0], f"{key}: size {len(body)} != {ledger.attempted[key][0]}"
        assert_crc_header(result.server_crc, acked_crc, f"{key} GET x-oss-hash-crc64ecma")

    # 2. nothing listed is partial or unknown
    for info in oss2.ObjectIterator(bucket, max_keys=100):
        assert info.key in ledger.attempted, f"listed object {info.key} was never sent"
        size, expected = ledger.attempted[info.key]
        assert info.size == size, f"listed object {info.key} has size {info.size}, sent {size}: partial"
        result = bucket.get_object(info.key)
        body = result.read()
        assert crc64(body) == expected, f"listed object {info.key} does not hold what was sent (partial or mixed)"
        assert_crc_header(result.server_crc, expected, f"listed {info.key} x-oss-hash-crc64ecma")

    # 3. unfinished uploads keep every acknowledged part, whole, and complete with the combined CRC
    for upload in oss2.MultipartUploadIterator(bucket):
        assert "/mp-" in upload.key, f"listed upload {upload.key} was never initiated"
    for upload in ledger.uploads.values():
        if upload.complete_acked or upload.finished_after_restart:
            continue
        try:
            parts, _, _ = v2.list_parts(BUCKET, upload.key, upload.upload_id)
        except Exception as error:  # noqa: BLE001
            if upload.complete_attempted and upload.key in _listed_keys(bucket):
                upload.finished_after_restart = True  # the unacknowledged Complete landed (checked in 2.)
                continue
            raise AssertionError(f"upload {upload.key} ({upload.upload_id}) with acknowledged parts "
                                 f"{sorted(upload.acked_parts)} is gone: {error!r}")
        listed = {p.number: p for p in parts}
        for n, (etag, size, crc) in upload.acked_parts.items():
            assert n in listed, f"{upload.key}: acknowledged part {n} missing after the crash"
            assert listed[n].size == size and listed[n].etag.strip('"').upper() == etag.upper()
            assert_crc_header(listed[n].crc, crc, f"{upload.key} part {n} HashCrc64ecma")
        for n, p in listed.items():
            assert 1 <= n <= len(PART_SIZES), f"{upload.key}: unknown part {n}"
            data = planned_part(upload.key, n)
            assert p.size == len(data), f"{upload.key}: in-flight part {n} stored partially ({p.size} bytes)"
            assert_crc_header(p.crc, crc64(data), f"{upload.key} part {n} HashCrc64ecma")
        numbers = sorted(upload.acked_parts)
        if not numbers:
            bucket.abort_multipart_upload(upload.key, upload.upload_id)
            upload.finished_after_restart = True
            continue
        infos = [oss2.models.PartInfo(n, upload.acked_parts[n][0], size=upload.acked_parts[n][1],
                                      part_crc=upload.acked_parts[n][2]) for n in numbers]
        result = bucket.complete_multipart_upload(upload.key, upload.upload_id, infos)
        whole = b"".join(planned_part(upload.key, n) for n in numbers)
        assert_crc_header(result.crc, crc64(whole), f"{upload.key} Complete after restart")
        ledger.attempted[upload.key] = (len(whole), crc64(whole))
        ledger.acked[upload.key] = result.crc
        upload.finished_after_restart = True


def _listed_keys(bucket) -> set:
    return {info.key for info in oss2.ObjectIterator(bucket, max_keys=100)}


def kill_rounds(server, credentials, bucket_name, kill_after, make_writer, ledger, verify_after) -> None:
    """For each target: a writer runs until it has had that many acknowledgements in the round,
    the server is killed with SIGKILL while the writer is busy, restarted on the same data folder,
    and `verify_after` checks what survived."""
    for round_number, target in enumerate(kill_after):
        auth = oss2.Auth(credentials.access_key_id, credentials.access_key_secret)
        bucket = oss2.Bucket(auth, server.endpoint, bucket_name, connect_timeout=30)
        killed = threading.Event()
        writer = make_writer(bucket, ledger, round_number, killed)
        writer.start()
        with writer.cond:
            reached = writer.cond.wait_for(lambda: writer.acks >= target or writer.finished, timeout=WAIT_LIMIT)
        assert not ledger.unexpected, ledger.unexpected
        assert reached and writer.acks >= target, (
            f"round {round_number}: the writer stopped after {writer.acks} acknowledgements")
        killed.set()
        server.kill9()
        writer.join(timeout=WAIT_LIMIT)
        assert not writer.is_alive(), "the writer did not notice that the server died"
        assert not ledger.unexpected, ledger.unexpected
        server.start()  # same data folder, same credentials, same --bucket
        verify_after(server, ledger, credentials)


def test_kill_9_during_writes_loses_nothing_acknowledged(server_binary, tmp_path):
    credentials = fresh_credentials()
    data_dir = tmp_path / "crash-data"
    ledger = Ledger()
    server = start_server(server_binary, data_dir, [BUCKET], credentials)
    try:
        kill_rounds(server, credentials, BUCKET, KILL_AFTER, Writer, ledger, verify)

        # A clean stop and start keeps everything as well.
        assert server.stop() == 0, f"SIGTERM: exit status {server.process.returncode}\n{server.output()}"
        server.start()
        verify(server, ledger, credentials)
        assert ledger.acked, "nothing was acknowledged"
        unacked = sorted(set(ledger.attempted) - set(ledger.acked))
        print(f"crash test: {len(KILL_AFTER)} kills, {len(ledger.acked)} acknowledged objects, "
              f"{len(ledger.uploads)} uploads, writes in flight at a kill: {unacked}")
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------
# The same with versioning: versions kept, delete markers added, versions deleted by id


VERSIONED_BUCKET = "crash-versions"
VERSIONED_KEYS = ("a", "b/c", "d")
# Per key, in turn: a small put, a large put, a delete (marker), a put, a delete of the oldest
# acknowledged version by its id.
VERSIONED_PLAN = [("put", 3000), ("put", 1024 * 1024 + 3), ("delete", None), ("put", 100 * 1024 + 1), ("delete-version", None)]
VERSIONED_KILL_AFTER = (2, 5, 8, 13)


@dataclass
class VersionLedger:
    attempted: Dict[str, Dict[int, int]] = field(default_factory=dict)  # key -> {crc: size} of every put sent
    versions: Dict[str, Tuple[str, int, int]] = field(default_factory=dict)  # acknowledged id -> (key, crc, size)
    markers: Dict[str, str] = field(default_factory=dict)  # acknowledged marker id -> key
    order: Dict[str, List[str]] = field(default_factory=dict)  # key -> acknowledged ids, oldest first
    removed: set = field(default_factory=set)  # ids whose delete by id was acknowledged
    in_flight_removals: set = field(default_factory=set)  # ids whose delete by id was sent, not acknowledged
    next_op: int = 0  # rounds go on through the plan where the last one was killed
    unexpected: List[str] = field(default_factory=list)


class VersionWriter(Writer):
    def __init__(self, bucket, ledger: VersionLedger, round_number, killed):
        super().__init__(bucket, ledger, round_number, killed)

    def run(self):
        ledger = self.ledger
        try:
            for _ in range(MAX_OPS_PER_ROUND):
                i = ledger.next_op
                ledger.next_op += 1
                key = VERSIONED_KEYS[i % len(VERSIONED_KEYS)]
                kind, size = VERSIONED_PLAN[(i // len(VERSIONED_KEYS)) % len(VERSIONED_PLAN)]
                if kind == "put":
                    data = content(f"{key}@{self.round}.{i}", size)
                    ledger.attempted.setdefault(key, {})[crc64(data)] = size
                    result = self.bucket.put_object(key, data)
                    if not result.versionid or result.crc != crc64(data):
                        ledger.unexpected.append(f"PUT {key}: version {result.versionid}, CRC {result.crc}")
                    ledger.versions[result.versionid] = (key, result.crc, size)
                elif kind == "delete":
                    result = self.bucket.delete_object(key)
                    if not result.delete_marker:
                        ledger.unexpected.append(f"DELETE {key} left no delete marker")
                    ledger.markers[result.versionid] = key
                else:
                    live = [v for v in ledger.order.get(key, []) if v in ledger.versions and v not in ledger.removed]
                    if not live:
                        continue
                    ledger.in_flight_removals.add(live[0])
                    self.bucket.delete_object(key, params={"versionId": live[0]})
                    ledger.removed.add(live[0])
                    ledger.order[key].remove(live[0])
                    self.ack()
                    continue
                ledger.order.setdefault(key, []).append(result.versionid)
                self.ack()
        except Exception as error:  # noqa: BLE001 - classified by the caller
            if not self.killed.is_set():
                ledger.unexpected.append(f"round {self.round}: {error!r}")
        finally:
            with self.cond:
                self.finished = True
                self.cond.notify_all()


def verify_versions(server, ledger: VersionLedger, credentials) -> None:
    auth = oss2.Auth(credentials.access_key_id, credentials.access_key_secret)
    bucket = oss2.Bucket(auth, server.endpoint, VERSIONED_BUCKET, connect_timeout=30)
    listed_versions, listed_markers = {}, {}
    key_marker, version_marker = "", ""
    while True:
        page = bucket.list_object_versions(key_marker=key_marker, versionid_marker=version_marker, max_keys=7)
        for v in page.versions:
            listed_versions[v.versionid] = v
        for m in page.delete_marker:
            listed_markers[m.versionid] = m
        if not page.is_truncated:
            break
        key_marker, version_marker = page.next_key_marker, page.next_versionid_marker

    # 1. every acknowledged version and marker not deleted by id is there, whole, with its CRC
    for version_id, (key, crc, size) in ledger.versions.items():
        if version_id in ledger.removed:
            assert version_id not in listed_versions, f"{key} {version_id}: deleted by id, but listed"
            continue
        if version_id in ledger.in_flight_removals:
            continue  # its deletion was in flight at a kill: either outcome is allowed
        assert version_id in listed_versions, f"acknowledged version {key} {version_id} is gone after the crash"
        result = bucket.get_object(key, params={"versionId": version_id})
        body = result.read()
        assert len(body) == size and crc64(body) == crc, f"{key} {version_id}: not what was acknowledged"
        assert_crc_header(result.server_crc, crc, f"{key} {version_id} x-oss-hash-crc64ecma")
    for marker_id, key in ledger.markers.items():
        assert marker_id in listed_markers, f"acknowledged delete marker {key} {marker_id} is gone after the crash"

    # 2. every listed version is one that was sent, whole
    for version_id, info in listed_versions.items():
        sent = ledger.attempted.get(info.key, {})
        result = bucket.get_object(info.key, params={"versionId": version_id})
        body = result.read()
        assert sent.get(crc64(body)) == len(body) == info.size, f"listed version {info.key} {version_id} was never sent whole"
    unknown_markers = [m for m in listed_markers if m not in ledger.markers]
    assert len(unknown_markers) <= len(VERSIONED_KILL_AFTER), f"delete markers nobody sent: {unknown_markers}"

    # 3. per key, the acknowledged versions, and the acknowledged markers, are listed newest
    #    first (oss2 splits the document into its Version and its DeleteMarker entries, each kept
    #    in document order)
    full = bucket.list_object_versions(max_keys=1000)
    for key, acked in ledger.order.items():
        for entries in (full.versions, full.delete_marker):
            listed = [e.versionid for e in entries if e.key == key and e.versionid in acked]
            expected = [v for v in reversed(acked) if v in listed]
            assert listed == expected, f"{key}: listed {listed}, acknowledged newest first {expected}"


def test_kill_9_during_versioned_writes_and_deletes_loses_nothing_acknowledged(server_binary, tmp_path):
    credentials = fresh_credentials()
    ledger = VersionLedger()
    server = start_server(server_binary, tmp_path / "crash-versions", [VERSIONED_BUCKET], credentials)
    try:
        auth = oss2.Auth(credentials.access_key_id, credentials.access_key_secret)
        oss2.Bucket(auth, server.endpoint, VERSIONED_BUCKET).put_bucket_versioning(
            oss2.models.BucketVersioningConfig("Enabled"))
        kill_rounds(server, credentials, VERSIONED_BUCKET, VERSIONED_KILL_AFTER, VersionWriter, ledger, verify_versions)
        assert ledger.versions and ledger.markers and ledger.removed, "the plan ran no put, delete or version delete"
        print(f"versioned crash test: {len(VERSIONED_KILL_AFTER)} kills, {len(ledger.versions)} versions, "
              f"{len(ledger.markers)} markers, {len(ledger.removed)} versions deleted by id")
    finally:
        server.stop()
