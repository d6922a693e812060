"""Faults in a cluster (only with OSS_CONFORMANCE_CLUSTER): nodes killed with SIGKILL in the middle
of PUTs, multipart uploads and completes, and PostgreSQL stopped and started again, while the
official SDK writes. Afterwards every acknowledged object reads back whole through the other nodes
(the SDK checks each CRC-64), no object is visible partly, and once the dead nodes' lease has run
out, nothing they were writing is left: no pending blob, no queued deletion, and the blob store
holds exactly the blobs objects and parts refer to.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import threading
import time
import urllib.request

import oss2
import pytest

from cluster import BLOBS_BUCKET, NODE_LEASE, cluster_size
from oss_conformance import crc64, random_bytes, random_name

pytestmark = pytest.mark.skipif(cluster_size() is None, reason="a cluster only: OSS_CONFORMANCE_CLUSTER=3")

KILLS = 30
DATABASE_RESTARTS = 5


def _bucket(endpoint, credentials, name):
    auth = oss2.Auth(credentials.access_key_id, credentials.access_key_secret)
    return oss2.Bucket(auth, endpoint, name, connect_timeout=5)


def _writer(endpoint, credentials, name, prefix, acknowledged, lock, stop):
    """PUTs (inline, single-blob and multipart objects) to one node until told to stop; records
    each acknowledged key with its CRC-64."""
    bucket = _bucket(endpoint, credentials, name)
    bucket.timeout = 10
    count = 0
    while not stop.is_set():
        count += 1
        key = f"{prefix}{count:04d}"
        size = random.choice([1000, 300_000, 3_000_000])
        data = random_bytes(size, seed=key)
        try:
            if size > 1_000_000:
                upload = bucket.init_multipart_upload(key).upload_id
                parts = []
                for number, start in enumerate(range(0, size, 1_000_000), 1):
                    result = bucket.upload_part(key, upload, number, data[start:start + 1_000_000])
                    parts.append(oss2.models.PartInfo(number, result.etag))
                bucket.complete_multipart_upload(key, upload, parts)
            else:
                bucket.put_object(key, data)
        except Exception:  # noqa: BLE001 - the node died or the database is down: not acknowledged
            continue
        with lock:
            acknowledged[key] = crc64(data)


def _psql(cluster, sql):
    postgres = cluster.postgres
    argv = [str(postgres.bin / "psql"), "-h", str(postgres.folder), "-p", str(postgres.port), "-U", "postgres",
            "-d", "postgres", "-Atc", sql]
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE, cwd="/tmp").stdout.decode().strip()


def _backend_blobs(cluster):
    """The blob keys in the backend bucket, from the SeaweedFS filer's listing."""
    names, last = [], ""
    while True:
        url = f"http://127.0.0.1:{cluster.seaweed.filer_port}/buckets/{BLOBS_BUCKET}/blobs/?limit=1000&lastFileName={last}"
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        listing = json.load(urllib.request.urlopen(request, timeout=10))
        entries = listing.get("Entries") or []
        names += [entry["FullPath"].rsplit("/", 1)[1] for entry in entries]
        if not listing.get("ShouldDisplayLoadMore") or not entries:
            return set(names)
        last = names[-1]


def test_kills_and_database_restarts_lose_nothing_acknowledged(server, default_bucket_name):
    cluster = server
    name = default_bucket_name
    acknowledged, lock = {}, threading.Lock()
    prefix = random_name("faults") + "/"
    rounds = [("kill", index) for index in range(KILLS)] + [("database", index) for index in range(DATABASE_RESTARTS)]
    random.Random(7).shuffle(rounds)
    for step, (fault, index) in enumerate(rounds):
        victim = cluster.nodes[index % len(cluster.nodes)]
        stop = threading.Event()
        writers = [threading.Thread(target=_writer, args=(
            victim.endpoint if fault == "kill" else cluster.endpoint, cluster.credentials, name,
            f"{prefix}{step:02d}-{worker}-", acknowledged, lock, stop)) for worker in range(3)]
        for writer in writers:
            writer.start()
        time.sleep(random.Random(step).uniform(0.3, 1.2))
        if fault == "kill":
            victim.kill9()
            victim.start()
        else:
            cluster.postgres.stop_fast()
            time.sleep(0.5)
            cluster.postgres.start()
        stop.set()
        for writer in writers:
            writer.join()

    # Every acknowledged object, read through the round-robin proxy: whole, CRC-64 checked by oss2.
    reader = _bucket(cluster.endpoint, cluster.credentials, name)
    for key, crc in sorted(acknowledged.items()):
        result = reader.get_object(key)
        body = result.read()
        assert crc64(body) == crc, key
        assert int(result.headers["x-oss-hash-crc64ecma"]) == crc, key
    # What was not acknowledged is absent or whole (the same checks, through GET).
    listed = [o.key for o in oss2.ObjectIterator(reader, prefix=prefix)]
    for key in listed:
        body = reader.get_object(key).read()
        assert len(body) in (1000, 300_000, 3_000_000), key
    for upload in oss2.MultipartUploadIterator(reader, prefix=prefix):
        reader.abort_multipart_upload(upload.key, upload.upload_id)
    print(f"\ncluster faults: {KILLS} node kills, {DATABASE_RESTARTS} database restarts, "
          f"{len(acknowledged)} acknowledged objects intact, {len(listed) - len(acknowledged)} unacknowledged but whole")

    # The dead nodes' unfinished writes, collected once their lease ran out; deletions done.
    deadline = time.monotonic() + NODE_LEASE * 4 + 30
    while time.monotonic() < deadline:
        pending = int(_psql(cluster, "SELECT count(*) FROM pending_blobs"))
        queued = int(_psql(cluster, "SELECT count(*) FROM blob_deletions"))
        if pending == 0 and queued == 0:
            break
        time.sleep(1)
    assert (pending, queued) == (0, 0), "pending blobs or queued deletions were never collected"
    referenced = set(_psql(cluster, "SELECT blob FROM segments WHERE data IS NULL UNION SELECT blob FROM parts").split())
    assert referenced, "the objects written here have blobs in the store"
    assert _backend_blobs(cluster) == referenced
