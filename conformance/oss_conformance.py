"""Shared machinery of the conformance suite: the server process, CRC-64, and one small adapter per
SDK and signature version so that a test can run unchanged against oss2 (V1, V4) and
alibabacloud-oss-v2 (V4, V1).

The adapters only translate calls and results; every value they return comes from the SDK's own
parsed result (oss2 `result.crc`, v2 `result.hash_crc64`, …), so the SDKs' parsers are exercised
too. Both SDKs keep their CRC-64 checks on (their defaults).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import queue
import re
import secrets
import signal
import string
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import crcmod
import oss2
import alibabacloud_oss_v2 as oss
from alibabacloud_oss_v2 import exceptions as v2exc
from alibabacloud_oss_v2.credentials import AnonymousCredentialsProvider, StaticCredentialsProvider

REGION = "cn-hangzhou"
REPO_ROOT = Path(__file__).resolve().parent.parent
LISTEN_TIMEOUT = 60.0

# ---------------------------------------------------------------------------------------------
# CRC-64/XZ, as the SDKs compute it (spec §4.1)

_CRC_PARAMS = dict(poly=0x142F0E1EBA9EA3693, initCrc=0, xorOut=0xFFFFFFFFFFFFFFFF, rev=True)
_crc_fun = crcmod.mkCrcFun(_CRC_PARAMS["poly"], initCrc=0, xorOut=0xFFFFFFFFFFFFFFFF, rev=True)


def crc64(data: bytes, init: int = 0) -> int:
    """CRC-64/XZ of `data`; `init` continues from a finished CRC (crcmod semantics, spec §4.1)."""
    return _crc_fun(data, init)


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data).hexdigest().upper()


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def norm_etag(etag: Optional[str]) -> Optional[str]:
    """oss2 strips the quotes, v2 keeps them: compare ETags without quotes, upper-case."""
    return None if etag is None else etag.strip('"').upper()


def assert_crc_header(value, expected: int, what: str = "x-oss-hash-crc64ecma"):
    """The header must be present, canonical `str(uint64)` (v2 compares strings, §4.3), and equal."""
    assert value is not None, f"{what} missing (expected {expected})"
    value = str(value)
    assert re.fullmatch(r"0|[1-9][0-9]*", value), f"{what} not a canonical unsigned decimal: {value!r}"
    assert int(value) == expected, f"{what} = {value}, expected {expected}"


def random_bytes(size: int, seed: Optional[str] = None) -> bytes:
    """Deterministic when seeded (the crash test re-creates contents from keys)."""
    if seed is None:
        return secrets.token_bytes(size)
    import random

    return random.Random(seed).randbytes(size)


def random_name(prefix: str = "ct", length: int = 10) -> str:
    alphabet = string.ascii_lowercase + string.digits
    return prefix + "-" + "".join(secrets.choice(alphabet) for _ in range(length))


# ---------------------------------------------------------------------------------------------
# The server process


def build_server() -> Path:
    """Builds `oss` once (`swift build --product oss`) and returns the binary's path.

    `OSS_CONFORMANCE_BINARY` names a prebuilt binary instead. A shared `.build` lock may make the
    build wait for another one; there is deliberately no time limit here.
    """
    override = os.environ.get("OSS_CONFORMANCE_BINARY")
    if override:
        path = Path(override)
        if not path.is_file():
            raise RuntimeError(f"OSS_CONFORMANCE_BINARY={override} is not a file")
        return path
    build = subprocess.run(
        ["swift", "build", "--product", "oss"], cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    if build.returncode != 0:
        raise RuntimeError("swift build --product oss failed:\n" + build.stdout[-20000:])
    show = subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, check=True,
    )
    binary = Path(show.stdout.strip().splitlines()[-1]) / "oss"
    if not binary.is_file():
        raise RuntimeError(f"built, but {binary} does not exist")
    return binary


@dataclass
class Credentials:
    access_key_id: str
    access_key_secret: str


def fresh_credentials() -> Credentials:
    alphabet = string.ascii_letters + string.digits
    return Credentials(
        access_key_id="LTAI" + "".join(secrets.choice(alphabet) for _ in range(20)),
        access_key_secret="".join(secrets.choice(alphabet) for _ in range(30)),
    )


def _die_with_parent() -> None:
    """In the child before exec: on Linux, have the kernel send SIGTERM to the server if the test
    process dies without tearing it down (pytest killed), so no server outlives the suite."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except Exception:  # noqa: BLE001 - not Linux, or no prctl: teardown still stops the server
        pass


_LISTENING = re.compile(r"^listening on (https?://\S+)\s*$")


class ServerProcess:
    """One `oss serve` process. Output (stdout and stderr) is collected by a reader thread, so the
    pipe never fills up and failures can show what the server said."""

    def __init__(self, binary: Path, data_dir: Path, buckets: Sequence[str], credentials: Credentials,
                 extra_args: Sequence[str] = ()):
        self.binary = binary
        self.data_dir = data_dir
        self.buckets = list(buckets)
        self.credentials = credentials
        self.extra_args = list(extra_args)
        self.process: Optional[subprocess.Popen] = None
        self.endpoint: Optional[str] = None
        self.lines: List[str] = []
        self._lock = threading.Lock()
        self._listening: "queue.Queue[Optional[str]]" = queue.Queue()

    @property
    def args(self) -> List[str]:
        args = [str(self.binary), "serve", "--address", "127.0.0.1:0", "--data", str(self.data_dir)]
        for bucket in self.buckets:
            args += ["--bucket", bucket]
        return args + self.extra_args

    def start(self, timeout: float = LISTEN_TIMEOUT) -> str:
        assert self.process is None or self.process.poll() is not None, "already running"
        env = dict(os.environ)
        env["OSS_ACCESS_KEY_ID"] = self.credentials.access_key_id
        env["OSS_ACCESS_KEY_SECRET"] = self.credentials.access_key_secret
        self._listening = queue.Queue()
        self.endpoint = None
        self.process = subprocess.Popen(
            self.args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
            start_new_session=True, preexec_fn=_die_with_parent,
        )
        threading.Thread(target=self._read, args=(self.process, self._listening), daemon=True).start()
        try:
            endpoint = self._listening.get(timeout=timeout)
        except queue.Empty:
            endpoint = None
        if endpoint is None:
            status = self.process.poll()
            self.stop()
            raise RuntimeError(
                f"`{' '.join(self.args)}` did not print 'listening on http://…' within {timeout:.0f} s "
                f"(exit status {status}). Its output:\n{self.output()}"
            )
        self.endpoint = endpoint
        return endpoint

    def _read(self, process: subprocess.Popen, listening: "queue.Queue[Optional[str]]"):
        assert process.stdout is not None
        found = False
        for raw in iter(process.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._lock:
                self.lines.append(line)
            match = _LISTENING.match(line)
            if match and not found:
                found = True
                listening.put(match.group(1))
        process.stdout.close()
        if not found:
            listening.put(None)

    def output(self, since: int = 0, limit: int = 400) -> str:
        with self._lock:
            lines = self.lines[since:]
        if len(lines) > limit:
            lines = [f"… {len(lines) - limit} earlier lines omitted"] + lines[-limit:]
        return "\n".join(lines)

    def mark(self) -> int:
        with self._lock:
            return len(self.lines)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, grace: float = 15.0) -> Optional[int]:
        """SIGTERM, then SIGKILL if it has not exited after `grace` seconds."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def kill9(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


# Every ServerProcess started by the suite, so that a failing test can show what the servers
# printed while it ran (see conftest.pytest_runtest_makereport).
SERVERS: List[ServerProcess] = []


def start_server(binary: Path, data_dir: Path, buckets: Sequence[str],
                 credentials: Optional[Credentials] = None, extra_args: Sequence[str] = ()) -> ServerProcess:
    """Starts and registers a server; the caller stops it. `extra_args` go to `oss serve`."""
    server = ServerProcess(binary, data_dir, buckets, credentials or fresh_credentials(), extra_args)
    SERVERS.append(server)
    server.start()
    return server


# ---------------------------------------------------------------------------------------------
# Errors as the SDKs report them


def find_in_chain(exc: BaseException, cls) -> Optional[BaseException]:
    """Walks v2's wrappers (`OperationError`, `UploadError`, `DownloadError`: `.unwrap()`) and Python's
    `__cause__`/`__context__` looking for an instance of `cls`."""
    seen = set()
    todo = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, cls):
            return e
        unwrap = getattr(e, "unwrap", None)
        if callable(unwrap):
            try:
                todo.append(unwrap())
            except Exception:  # pragma: no cover - defensive
                pass
        todo.append(e.__cause__)
        todo.append(e.__context__)
    return None


@dataclass
class ServiceFailure:
    status: int
    code: str
    error: BaseException


def service_failure(exc: BaseException) -> Optional[ServiceFailure]:
    """(HTTP status, OSS error code) from an oss2 `ServerError` or a v2 `ServiceError` (wrapped)."""
    if isinstance(exc, oss2.exceptions.OssError):
        return ServiceFailure(exc.status, exc.code, exc)
    inner = find_in_chain(exc, v2exc.ServiceError)
    if inner is not None:
        return ServiceFailure(inner.status_code, inner.code, inner)
    return None


def expect_failure(fn, status, code):
    """Runs `fn`, which must fail with this (HTTP status, OSS code) as the SDK reports it."""
    import pytest

    with pytest.raises(Exception) as info:
        fn()
    failure = service_failure(info.value)
    assert failure is not None, f"expected {status} {code}, got a non-service error: {info.value!r}"
    assert (failure.status, failure.code) == (status, code), f"expected {status} {code}, got {failure.error!r}"
    return failure


def expect_failure_status(fn, status):
    """Runs `fn`, which must fail with this HTTP status as the SDK reports it (for answers
    without a body, such as 304, whose error code each SDK names its own way)."""
    import pytest

    with pytest.raises(Exception) as info:
        fn()
    failure = service_failure(info.value)
    assert failure is not None, f"expected {status}, got a non-service error: {info.value!r}"
    assert failure.status == status, f"expected {status}, got {failure.error!r}"
    return failure


# ---------------------------------------------------------------------------------------------
# Adapters


@dataclass
class Resp:
    """A normalised response: `crc` is the SDK's parsed x-oss-hash-crc64ecma (as a string, or None)."""

    status: int
    headers: Dict[str, str]
    etag: Optional[str] = None
    crc: Optional[str] = None
    body: Optional[bytes] = None
    raw: object = None

    def header(self, name: str) -> Optional[str]:
        return self.headers.get(name.lower())


@dataclass
class Listing:
    keys: List[str]
    sizes: Dict[str, int]
    etags: Dict[str, str]
    types: Dict[str, str]
    prefixes: List[str]
    truncated: bool
    next_marker: Optional[str]
    key_count: Optional[int] = None


@dataclass
class PartResult:
    number: int
    etag: str  # as the SDK gives it (oss2 unquoted, v2 quoted): pass it back unchanged
    size: int
    crc: Optional[str]


def _lower(headers) -> Dict[str, str]:
    return {str(k).lower(): v for k, v in dict(headers or {}).items()}


def _crc_str(value) -> Optional[str]:
    return None if value is None else str(value)


class Flavor:
    """One SDK with one signature version, bound to one server."""

    sdk: str = ""
    signature: str = ""

    def __init__(self, endpoint: str, credentials: Credentials):
        self.endpoint = endpoint
        self.credentials = credentials

    @property
    def name(self) -> str:
        return f"{self.sdk}-{self.signature}"

    def __repr__(self) -> str:
        return f"<{self.name} {self.endpoint}>"


class Oss2Flavor(Flavor):
    sdk = "oss2"

    def __init__(self, endpoint: str, credentials: Credentials, signature: str = "v1", auth=None):
        super().__init__(endpoint, credentials)
        self.signature = signature
        if auth is not None:
            self.auth = auth
        elif signature == "v4":
            self.auth = oss2.AuthV4(credentials.access_key_id, credentials.access_key_secret)
        else:
            self.auth = oss2.Auth(credentials.access_key_id, credentials.access_key_secret)
        self._buckets: Dict[str, oss2.Bucket] = {}

    def bucket(self, name: str) -> oss2.Bucket:
        if name not in self._buckets:
            kwargs = {"region": REGION} if self.signature == "v4" else {}
            self._buckets[name] = oss2.Bucket(self.auth, self.endpoint, name, connect_timeout=30, **kwargs)
        return self._buckets[name]

    def service(self) -> oss2.Service:
        kwargs = {"region": REGION} if self.signature == "v4" else {}
        return oss2.Service(self.auth, self.endpoint, connect_timeout=30, **kwargs)

    # buckets
    def create_bucket(self, name):
        r = self.bucket(name).create_bucket()
        return Resp(r.status, _lower(r.headers), raw=r)

    def delete_bucket(self, name):
        r = self.bucket(name).delete_bucket()
        return Resp(r.status, _lower(r.headers), raw=r)

    def list_buckets(self, prefix="", marker="", max_keys=100):
        r = self.service().list_buckets(prefix=prefix, marker=marker, max_keys=max_keys)
        return r

    def list_bucket_names(self, prefix=""):
        return [b.name for b in oss2.BucketIterator(self.service(), prefix=prefix)]

    def bucket_info(self, name):
        r = self.bucket(name).get_bucket_info()
        return dict(name=r.name, location=r.location, storage_class=r.storage_class, acl=r.acl.grant,
                    creation_date=r.creation_date, extranet_endpoint=r.extranet_endpoint,
                    intranet_endpoint=r.intranet_endpoint, owner_id=r.owner.id)

    def bucket_location(self, name):
        return self.bucket(name).get_bucket_location().location

    # objects
    def put(self, bucket, key, data, content_type=None, metadata=None, content_md5=None, headers=None):
        h = dict(headers or {})
        if content_type is not None:
            h["Content-Type"] = content_type
        for k, v in (metadata or {}).items():
            h["x-oss-meta-" + k] = v
        if content_md5 is not None:
            h["Content-MD5"] = content_md5
        r = self.bucket(bucket).put_object(key, data, headers=h)
        return Resp(r.status, _lower(r.headers), etag=r.etag, crc=_crc_str(r.crc), raw=r)

    def get(self, bucket, key, range_header=None, range_behavior=None, byte_range=None):
        h = {}
        if range_header is not None:
            h["Range"] = range_header
        if range_behavior is not None:
            h["x-oss-range-behavior"] = range_behavior
        r = self.bucket(bucket).get_object(key, byte_range=byte_range, headers=h)
        body = r.read()
        return Resp(r.status, _lower(r.headers), etag=r.etag, crc=_crc_str(r.server_crc), body=body, raw=r)

    def get_to_file(self, bucket, key, path):
        r = self.bucket(bucket).get_object_to_file(key, str(path))
        return Resp(r.status, _lower(r.headers), etag=r.etag, crc=_crc_str(r.server_crc), raw=r)

    def head(self, bucket, key):
        r = self.bucket(bucket).head_object(key)
        return Resp(r.status, _lower(r.headers), etag=r.etag, crc=_crc_str(r.server_crc), raw=r)

    def meta(self, bucket, key):
        r = self.bucket(bucket).get_object_meta(key)
        return Resp(r.status, _lower(r.headers), etag=r.etag, crc=_lower(r.headers).get("x-oss-hash-crc64ecma"),
                    raw=r)

    def delete(self, bucket, key):
        r = self.bucket(bucket).delete_object(key)
        return Resp(r.status, _lower(r.headers), raw=r)

    def delete_many(self, bucket, keys):
        r = self.bucket(bucket).batch_delete_objects(list(keys))
        return list(r.deleted_keys)

    def list_v1(self, bucket, prefix="", delimiter="", marker="", max_keys=100):
        r = self.bucket(bucket).list_objects(prefix=prefix, delimiter=delimiter, marker=marker, max_keys=max_keys)
        objs = r.object_list
        return Listing(keys=[o.key for o in objs], sizes={o.key: o.size for o in objs},
                       etags={o.key: o.etag for o in objs}, types={o.key: o.type for o in objs},
                       prefixes=list(r.prefix_list), truncated=r.is_truncated, next_marker=r.next_marker)

    def list_v2(self, bucket, prefix="", delimiter="", continuation_token="", start_after="", max_keys=100):
        r = self.bucket(bucket).list_objects_v2(prefix=prefix, delimiter=delimiter,
                                                continuation_token=continuation_token, start_after=start_after,
                                                max_keys=max_keys)
        objs = r.object_list
        return Listing(keys=[o.key for o in objs], sizes={o.key: o.size for o in objs},
                       etags={o.key: o.etag for o in objs}, types={o.key: o.type for o in objs},
                       prefixes=list(r.prefix_list), truncated=r.is_truncated,
                       next_marker=r.next_continuation_token)

    # multipart
    def init(self, bucket, key, content_type=None, metadata=None):
        h = {}
        if content_type is not None:
            h["Content-Type"] = content_type
        for k, v in (metadata or {}).items():
            h["x-oss-meta-" + k] = v
        return self.bucket(bucket).init_multipart_upload(key, headers=h).upload_id

    def upload_part(self, bucket, key, upload_id, number, data):
        r = self.bucket(bucket).upload_part(key, upload_id, number, data)
        return PartResult(number, r.etag, len(data), _crc_str(r.crc)), Resp(r.status, _lower(r.headers), etag=r.etag,
                                                                             crc=_crc_str(r.crc), raw=r)

    def complete(self, bucket, key, upload_id, parts: Sequence[PartResult]):
        infos = [oss2.models.PartInfo(p.number, p.etag, size=p.size,
                                      part_crc=None if p.crc is None else int(p.crc)) for p in parts]
        r = self.bucket(bucket).complete_multipart_upload(key, upload_id, infos)
        return Resp(r.status, _lower(r.headers), etag=r.etag, crc=_crc_str(r.crc), raw=r)

    def abort(self, bucket, key, upload_id):
        r = self.bucket(bucket).abort_multipart_upload(key, upload_id)
        return Resp(r.status, _lower(r.headers), raw=r)

    def list_parts(self, bucket, key, upload_id, marker="", max_parts=1000):
        r = self.bucket(bucket).list_parts(key, upload_id, marker=marker, max_parts=max_parts)
        # oss2 does not read HashCrc64ecma (spec §3.7); crc is None here.
        return [PartResult(p.part_number, p.etag, p.size, None) for p in r.parts], r.is_truncated, r.next_marker

    def list_uploads(self, bucket, prefix=""):
        r = self.bucket(bucket).list_multipart_uploads(prefix=prefix)
        return [(u.key, u.upload_id) for u in r.upload_list]

    def upload_part_copy(self, bucket, key, upload_id, number, src_bucket, src_key, first, last):
        r = self.bucket(bucket).upload_part_copy(src_bucket, src_key, (first, last), key, upload_id, number)
        return PartResult(number, r.etag, last - first + 1, _crc_str(r.crc)), Resp(
            r.status, _lower(r.headers), etag=r.etag, crc=_crc_str(r.crc), raw=r)


    # append (oss2 checks the returned whole-object CRC itself when init_crc is given, spec §4.4)
    def append(self, bucket, key, position, data, init_crc=None, headers=None):
        r = self.bucket(bucket).append_object(key, position, data, headers=headers, init_crc=init_crc)
        return Resp(r.status, _lower(r.headers), etag=r.etag, crc=_crc_str(r.crc), raw=r), r.next_position

    # copy
    def copy(self, bucket, key, src_bucket, src_key, headers=None):
        r = self.bucket(bucket).copy_object(src_bucket, src_key, key, headers=headers)
        return Resp(r.status, _lower(r.headers), etag=r.etag, crc=_crc_str(r.crc), raw=r)

    def update_meta(self, bucket, key, metadata):
        r = self.bucket(bucket).update_object_meta(key, {"x-oss-meta-" + k: v for k, v in metadata.items()})
        return Resp(r.status, _lower(r.headers), etag=r.etag, crc=_crc_str(r.crc), raw=r)

    # ACLs
    def put_bucket_acl(self, bucket, acl):
        self.bucket(bucket).put_bucket_acl(acl)

    def get_bucket_acl(self, bucket):
        return self.bucket(bucket).get_bucket_acl().acl

    def put_object_acl(self, bucket, key, acl):
        self.bucket(bucket).put_object_acl(key, acl)

    def get_object_acl(self, bucket, key):
        return self.bucket(bucket).get_object_acl(key).acl

    # tagging
    def put_tagging(self, bucket, key, tags):
        rule = oss2.models.TaggingRule()
        for k, v in tags.items():
            rule.add(k, v)
        self.bucket(bucket).put_object_tagging(key, oss2.models.Tagging(rule))

    def get_tagging(self, bucket, key):
        return dict(self.bucket(bucket).get_object_tagging(key).tag_set.tagging_rule)

    def delete_tagging(self, bucket, key):
        self.bucket(bucket).delete_object_tagging(key)

    def put_with_tags(self, bucket, key, data, tags):
        rule = oss2.models.TaggingRule()
        for k, v in tags.items():
            rule.add(k, v)
        r = self.bucket(bucket).put_object(key, data, headers={"x-oss-tagging": rule.to_query_string()})
        return Resp(r.status, _lower(r.headers), etag=r.etag, crc=_crc_str(r.crc), raw=r)

    # symlinks
    def put_symlink(self, bucket, link, target):
        self.bucket(bucket).put_symlink(target, link)

    def get_symlink(self, bucket, link):
        return self.bucket(bucket).get_symlink(link).target_key

    # presigned URLs: (url, headers the request must carry)
    def presign(self, bucket, method, key, content_type=None):
        headers = {"Content-Type": content_type} if content_type else None
        return self.bucket(bucket).sign_url(method, key, 600, headers=headers), dict(headers or {})

class V2Flavor(Flavor):
    sdk = "v2"

    def __init__(self, endpoint: str, credentials: Credentials, signature: str = "v4", provider=None):
        super().__init__(endpoint, credentials)
        self.signature = signature
        cfg = oss.config.load_default()
        cfg.credentials_provider = provider or StaticCredentialsProvider(credentials.access_key_id,
                                                                         credentials.access_key_secret)
        cfg.region = REGION
        cfg.endpoint = endpoint
        cfg.use_path_style = True
        cfg.signature_version = signature
        self.client = oss.Client(cfg)

    @staticmethod
    def _headers(r) -> Dict[str, str]:
        return _lower(r.headers)

    # buckets
    def create_bucket(self, name):
        r = self.client.put_bucket(oss.PutBucketRequest(
            bucket=name, create_bucket_configuration=oss.CreateBucketConfiguration(storage_class="Standard")))
        return Resp(r.status_code, self._headers(r), raw=r)

    def delete_bucket(self, name):
        r = self.client.delete_bucket(oss.DeleteBucketRequest(bucket=name))
        return Resp(r.status_code, self._headers(r), raw=r)

    def list_buckets(self, prefix=None, marker=None, max_keys=None):
        return self.client.list_buckets(oss.ListBucketsRequest(prefix=prefix, marker=marker, max_keys=max_keys))

    def list_bucket_names(self, prefix=""):
        names = []
        for page in self.client.list_buckets_paginator().iter_page(oss.ListBucketsRequest(prefix=prefix or None)):
            names += [b.name for b in (page.buckets or [])]
        return names

    def bucket_info(self, name):
        r = self.client.get_bucket_info(oss.GetBucketInfoRequest(bucket=name)).bucket_info
        return dict(name=r.name, location=r.location, storage_class=r.storage_class, acl=r.acl,
                    creation_date=r.creation_date, extranet_endpoint=r.extranet_endpoint,
                    intranet_endpoint=r.intranet_endpoint, owner_id=r.owner.id if r.owner else None)

    def bucket_location(self, name):
        return self.client.get_bucket_location(oss.GetBucketLocationRequest(bucket=name)).location

    # objects
    def put(self, bucket, key, data, content_type=None, metadata=None, content_md5=None, headers=None):
        req = oss.PutObjectRequest(bucket=bucket, key=key, body=data, content_type=content_type,
                                   metadata=metadata, content_md5=content_md5)
        if headers:
            raise NotImplementedError("extra headers: use the request model's fields")
        r = self.client.put_object(req)
        return Resp(r.status_code, self._headers(r), etag=r.etag, crc=r.hash_crc64, raw=r)

    def get(self, bucket, key, range_header=None, range_behavior=None, byte_range=None):
        if byte_range is not None:
            first, last = byte_range
            range_header = "bytes=" + ("" if first is None else str(first)) + "-" + ("" if last is None else str(last))
        r = self.client.get_object(oss.GetObjectRequest(bucket=bucket, key=key, range_header=range_header,
                                                        range_behavior=range_behavior))
        try:
            body = r.body.read()
        finally:
            r.body.close()
        return Resp(r.status_code, self._headers(r), etag=r.etag, crc=r.hash_crc64, body=body, raw=r)

    def get_to_file(self, bucket, key, path):
        r = self.client.get_object_to_file(oss.GetObjectRequest(bucket=bucket, key=key), str(path))
        return Resp(r.status_code, self._headers(r), etag=r.etag, crc=r.hash_crc64, raw=r)

    def head(self, bucket, key):
        r = self.client.head_object(oss.HeadObjectRequest(bucket=bucket, key=key))
        return Resp(r.status_code, self._headers(r), etag=r.etag, crc=r.hash_crc64, raw=r)

    def meta(self, bucket, key):
        r = self.client.get_object_meta(oss.GetObjectMetaRequest(bucket=bucket, key=key))
        return Resp(r.status_code, self._headers(r), etag=r.etag, crc=r.hash_crc64, raw=r)

    def delete(self, bucket, key):
        r = self.client.delete_object(oss.DeleteObjectRequest(bucket=bucket, key=key))
        return Resp(r.status_code, self._headers(r), raw=r)

    def delete_many(self, bucket, keys):
        r = self.client.delete_multiple_objects(oss.DeleteMultipleObjectsRequest(
            bucket=bucket, objects=[oss.DeleteObject(key=k) for k in keys]))
        return [d.key for d in (r.deleted_objects or [])]

    @staticmethod
    def _listing(r, next_marker, key_count=None):
        objs = r.contents or []
        return Listing(keys=[o.key for o in objs], sizes={o.key: o.size for o in objs},
                       etags={o.key: o.etag for o in objs}, types={o.key: o.object_type for o in objs},
                       prefixes=[p.prefix for p in (r.common_prefixes or [])], truncated=bool(r.is_truncated),
                       next_marker=next_marker, key_count=key_count)

    def list_v1(self, bucket, prefix="", delimiter="", marker="", max_keys=100):
        r = self.client.list_objects(oss.ListObjectsRequest(
            bucket=bucket, prefix=prefix or None, delimiter=delimiter or None, marker=marker or None,
            max_keys=max_keys, encoding_type="url"))
        return self._listing(r, r.next_marker)

    def list_v2(self, bucket, prefix="", delimiter="", continuation_token="", start_after="", max_keys=100):
        r = self.client.list_objects_v2(oss.ListObjectsV2Request(
            bucket=bucket, prefix=prefix or None, delimiter=delimiter or None,
            continuation_token=continuation_token or None, start_after=start_after or None, max_keys=max_keys,
            encoding_type="url"))
        return self._listing(r, r.next_continuation_token, r.key_count)

    # multipart
    def init(self, bucket, key, content_type=None, metadata=None):
        r = self.client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(
            bucket=bucket, key=key, content_type=content_type, metadata=metadata))
        return r.upload_id

    def upload_part(self, bucket, key, upload_id, number, data):
        r = self.client.upload_part(oss.UploadPartRequest(bucket=bucket, key=key, upload_id=upload_id,
                                                          part_number=number, body=data))
        return PartResult(number, r.etag, len(data), r.hash_crc64), Resp(r.status_code, self._headers(r),
                                                                          etag=r.etag, crc=r.hash_crc64, raw=r)

    def complete(self, bucket, key, upload_id, parts: Sequence[PartResult]):
        r = self.client.complete_multipart_upload(oss.CompleteMultipartUploadRequest(
            bucket=bucket, key=key, upload_id=upload_id,
            complete_multipart_upload=oss.CompleteMultipartUpload(
                parts=[oss.UploadPart(part_number=p.number, etag=p.etag) for p in parts])))
        return Resp(r.status_code, self._headers(r), etag=r.etag, crc=r.hash_crc64, raw=r)

    def abort(self, bucket, key, upload_id):
        r = self.client.abort_multipart_upload(oss.AbortMultipartUploadRequest(bucket=bucket, key=key,
                                                                               upload_id=upload_id))
        return Resp(r.status_code, self._headers(r), raw=r)

    def list_parts(self, bucket, key, upload_id, marker="", max_parts=1000):
        r = self.client.list_parts(oss.ListPartsRequest(bucket=bucket, key=key, upload_id=upload_id,
                                                        part_number_marker=int(marker) if marker else None,
                                                        max_parts=max_parts))
        parts = [PartResult(p.part_number, p.etag, p.size, p.hash_crc64) for p in (r.parts or [])]
        return parts, bool(r.is_truncated), r.next_part_number_marker

    def list_uploads(self, bucket, prefix=""):
        r = self.client.list_multipart_uploads(oss.ListMultipartUploadsRequest(bucket=bucket, prefix=prefix or None))
        return [(u.key, u.upload_id) for u in (r.uploads or [])]

    def upload_part_copy(self, bucket, key, upload_id, number, src_bucket, src_key, first, last):
        r = self.client.upload_part_copy(oss.UploadPartCopyRequest(
            bucket=bucket, key=key, upload_id=upload_id, part_number=number, source_bucket=src_bucket,
            source_key=src_key, source_range=f"bytes={first}-{last}"))
        crc = self._headers(r).get("x-oss-hash-crc64ecma")
        return PartResult(number, r.etag, last - first + 1, crc), Resp(r.status_code, self._headers(r), etag=r.etag,
                                                                        crc=crc, raw=r)


    # append (v2 does not check the append CRC itself, spec §4.4)
    def append(self, bucket, key, position, data, init_crc=None, headers=None):
        if headers:
            raise NotImplementedError("extra headers: use the request model's fields")
        r = self.client.append_object(oss.AppendObjectRequest(bucket=bucket, key=key, position=position, body=data))
        return Resp(r.status_code, self._headers(r), crc=r.hash_crc64, raw=r), r.next_position

    # copy
    def copy(self, bucket, key, src_bucket, src_key, headers=None):
        h = {k.lower(): v for k, v in (headers or {}).items()}
        metadata = {k[len("x-oss-meta-"):]: v for k, v in h.items() if k.startswith("x-oss-meta-")}
        r = self.client.copy_object(oss.CopyObjectRequest(
            bucket=bucket, key=key, source_bucket=src_bucket, source_key=src_key,
            metadata_directive=h.get("x-oss-metadata-directive"), metadata=metadata or None,
            content_type=h.get("content-type"), if_match=h.get("x-oss-copy-source-if-match"),
            if_none_match=h.get("x-oss-copy-source-if-none-match"),
            tagging_directive=h.get("x-oss-tagging-directive"), tagging=h.get("x-oss-tagging")))
        return Resp(r.status_code, self._headers(r), etag=r.etag, crc=r.hash_crc64, raw=r)

    def update_meta(self, bucket, key, metadata):
        return self.copy(bucket, key, bucket, key, headers={"x-oss-metadata-directive": "REPLACE",
                                                            **{"x-oss-meta-" + k: v for k, v in metadata.items()}})

    # ACLs
    def put_bucket_acl(self, bucket, acl):
        self.client.put_bucket_acl(oss.PutBucketAclRequest(bucket=bucket, acl=acl))

    def get_bucket_acl(self, bucket):
        return self.client.get_bucket_acl(oss.GetBucketAclRequest(bucket=bucket)).acl

    def put_object_acl(self, bucket, key, acl):
        self.client.put_object_acl(oss.PutObjectAclRequest(bucket=bucket, key=key, acl=acl))

    def get_object_acl(self, bucket, key):
        return self.client.get_object_acl(oss.GetObjectAclRequest(bucket=bucket, key=key)).acl

    # tagging
    def put_tagging(self, bucket, key, tags):
        self.client.put_object_tagging(oss.PutObjectTaggingRequest(
            bucket=bucket, key=key,
            tagging=oss.Tagging(tag_set=oss.TagSet(tags=[oss.Tag(key=k, value=v) for k, v in tags.items()]))))

    def get_tagging(self, bucket, key):
        r = self.client.get_object_tagging(oss.GetObjectTaggingRequest(bucket=bucket, key=key))
        # v2 reads an empty <Value></Value> as None.
        return {t.key: t.value or "" for t in ((r.tag_set.tags if r.tag_set else None) or [])}

    def delete_tagging(self, bucket, key):
        self.client.delete_object_tagging(oss.DeleteObjectTaggingRequest(bucket=bucket, key=key))

    def put_with_tags(self, bucket, key, data, tags):
        from urllib.parse import quote
        tagging = "&".join(quote(k, safe="") + "=" + quote(v, safe="") for k, v in tags.items())
        r = self.client.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=data, tagging=tagging))
        return Resp(r.status_code, self._headers(r), etag=r.etag, crc=r.hash_crc64, raw=r)

    # symlinks
    def put_symlink(self, bucket, link, target):
        self.client.put_symlink(oss.PutSymlinkRequest(bucket=bucket, key=link, target=target))

    def get_symlink(self, bucket, link):
        return self.client.get_symlink(oss.GetSymlinkRequest(bucket=bucket, key=link)).target

    # presigned URLs: (url, headers the request must carry)
    def presign(self, bucket, method, key, content_type=None):
        request = oss.GetObjectRequest(bucket=bucket, key=key) if method == "GET" else \
            oss.PutObjectRequest(bucket=bucket, key=key, content_type=content_type)
        r = self.client.presign(request)
        return r.url, dict(r.signed_headers or {})

FLAVORS = ("oss2-v1", "oss2-v4", "v2-v4", "v2-v1")


def make_flavor(name: str, endpoint: str, credentials: Credentials) -> Flavor:
    sdk, signature = name.split("-")
    if sdk == "oss2":
        return Oss2Flavor(endpoint, credentials, signature)
    return V2Flavor(endpoint, credentials, signature)


def anonymous_flavor(sdk: str, endpoint: str) -> Flavor:
    creds = Credentials("", "")
    if sdk == "oss2":
        return Oss2Flavor(endpoint, creds, "anonymous", auth=oss2.AnonymousAuth())
    f = V2Flavor(endpoint, creds, "v4", provider=AnonymousCredentialsProvider())
    f.signature = "anonymous"
    return f


# ---------------------------------------------------------------------------------------------
# Bucket clean-up


def empty_and_delete_bucket(flavor: Oss2Flavor, name: str, attempts: int = 5) -> None:
    """Best effort: abort uploads, delete objects, delete the bucket (used in fixture teardown).

    Access logs arrive late, as on OSS: a server (each node of a cluster) writes what it collected
    every interval, so a log object may land in a bucket just emptied; it is emptied again."""
    bucket = flavor.bucket(name)
    for attempt in range(attempts):
        try:
            for upload in oss2.MultipartUploadIterator(bucket):
                bucket.abort_multipart_upload(upload.key, upload.upload_id)
            keys = [o.key for o in oss2.ObjectIterator(bucket)]
            for i in range(0, len(keys), 1000):
                bucket.batch_delete_objects(keys[i:i + 1000])
            # Versions and delete markers keep a bucket from being empty, too.
            while True:
                listing = bucket.list_object_versions(max_keys=1000)
                entries = listing.versions + listing.delete_marker
                if not entries:
                    break
                bucket.delete_object_versions(oss2.models.BatchDeleteObjectVersionList(
                    [oss2.models.BatchDeleteObjectVersion(e.key, e.versionid) for e in entries]))
            bucket.delete_bucket()
            return
        except oss2.exceptions.NoSuchBucket:
            return
        except oss2.exceptions.BucketNotEmpty:
            if attempt == attempts - 1:
                raise
            time.sleep(1)
