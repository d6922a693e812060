"""Fixtures of the conformance suite: one real `oss serve` per session, driven by the official SDKs.

Run from the repository root: `.venv/bin/python -m pytest -q conformance`. The server is built once
with `swift build --product oss` (set OSS_CONFORMANCE_BINARY to use a prebuilt binary instead).
"""

from __future__ import annotations

import pytest
import oss2
import alibabacloud_oss_v2 as oss

import time

from cluster import (
    Postgres, RoundRobinProxy, SeaweedFS, cluster_size, free_port, node_arguments, node_environment, wait_for_s3,
)
from oss_conformance import (
    FLAVORS,
    REGION,
    SERVERS,
    Oss2Flavor,
    V2Flavor,
    build_server,
    empty_and_delete_bucket,
    fresh_credentials,
    make_flavor,
    random_name,
    start_server,
)

# ---------------------------------------------------------------------------------------------
# The server


@pytest.fixture(scope="session")
def server_binary():
    try:
        return build_server()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def default_bucket_name():
    return random_name("conformance")


# Restores take two seconds here (five by default), so tests see them run and finish; a lifecycle
# day lasts two seconds and rules are applied twice a second, so that rules counted in days act
# within the test (only buckets with rules are affected); access logs are written twice a second.
SERVER_ARGS = ["--restore-delay", "2", "--lifecycle-day", "2", "--lifecycle-interval", "0.5",
               "--access-log-interval", "0.5"]


@pytest.fixture(scope="session")
def server(server_binary, tmp_path_factory, default_bucket_name):
    nodes = cluster_size()
    if nodes is not None:
        yield from _cluster(nodes, server_binary, tmp_path_factory, default_bucket_name)
        return
    data = tmp_path_factory.mktemp("oss-data")
    try:
        process = start_server(server_binary, data, [default_bucket_name], extra_args=SERVER_ARGS)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield process
    process.stop()


class ClusterEndpoint:
    """What the suite sees of a cluster: one endpoint (the round-robin proxy), one key pair; and,
    for the fault tests, its parts."""

    def __init__(self, endpoint, credentials, nodes, postgres, seaweed):
        self.endpoint = endpoint
        self.credentials = credentials
        self.nodes = nodes
        self.postgres = postgres
        self.seaweed = seaweed


def _cluster(count, server_binary, tmp_path_factory, default_bucket_name):
    """OSS_CONFORMANCE_CLUSTER=N: N nodes on one PostgreSQL and one SeaweedFS, behind a proxy."""
    folder = tmp_path_factory.mktemp("oss-cluster")
    started = []
    try:
        postgres = Postgres()
        started.append(postgres)
        seaweed = SeaweedFS(folder / "seaweedfs")
        started.append(seaweed)
        wait_for_s3(seaweed.endpoint)
        node_environment()
        credentials = fresh_credentials()
        ports = [free_port() for _ in range(count)]
        for index in range(count):
            # The gateway answers before its filer takes buckets: a node that could not create the
            # blob bucket exits, and is started again.
            deadline = time.monotonic() + 60
            while True:
                try:
                    node = start_server(
                        server_binary, folder / f"node{index}", [default_bucket_name], credentials,
                        extra_args=SERVER_ARGS + node_arguments(postgres, seaweed, ports[index]))
                    break
                except RuntimeError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(1)
            started.append(node)
        proxy = RoundRobinProxy(ports)
    except RuntimeError as error:
        for part in reversed(started):
            part.stop()
        pytest.fail(str(error), pytrace=False)
    yield ClusterEndpoint(proxy.endpoint, credentials, started[2:], postgres, seaweed)
    print(f"\nround-robin proxy: connections per node {proxy.connections}")
    proxy.close()
    for part in reversed(started):
        part.stop()


@pytest.fixture(scope="session")
def endpoint(server):
    return server.endpoint


@pytest.fixture(scope="session")
def credentials(server):
    return server.credentials


# ---------------------------------------------------------------------------------------------
# SDK clients on the default bucket (CRC checks on: the SDKs' defaults)


@pytest.fixture(scope="session")
def oss2_bucket_v1(endpoint, credentials, default_bucket_name):
    auth = oss2.Auth(credentials.access_key_id, credentials.access_key_secret)
    return oss2.Bucket(auth, endpoint, default_bucket_name, connect_timeout=30)


@pytest.fixture(scope="session")
def oss2_bucket_v4(endpoint, credentials, default_bucket_name):
    auth = oss2.AuthV4(credentials.access_key_id, credentials.access_key_secret)
    return oss2.Bucket(auth, endpoint, default_bucket_name, connect_timeout=30, region=REGION)


def _v2_client(endpoint, credentials, signature_version):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        credentials.access_key_id, credentials.access_key_secret)
    cfg.region = REGION
    cfg.endpoint = endpoint
    cfg.use_path_style = True  # 127.0.0.1 is path style anyway (endpoints.is_ip); be explicit
    cfg.signature_version = signature_version
    return oss.Client(cfg)


@pytest.fixture(scope="session")
def v2_client_v4(endpoint, credentials):
    return _v2_client(endpoint, credentials, "v4")


@pytest.fixture(scope="session")
def v2_client_v1(endpoint, credentials):
    return _v2_client(endpoint, credentials, "v1")


# ---------------------------------------------------------------------------------------------
# Flavors: one SDK with one signature version (see oss_conformance.Flavor)


@pytest.fixture(params=FLAVORS)
def flavor(request, endpoint, credentials):
    """Every SDK × signature combination: oss2 V1, oss2 V4, v2 V4, v2 V1."""
    return make_flavor(request.param, endpoint, credentials)


@pytest.fixture(params=("v1", "v4"))
def oss2_flavor(request, endpoint, credentials):
    return Oss2Flavor(endpoint, credentials, request.param)


@pytest.fixture(params=("v4", "v1"))
def v2_flavor(request, endpoint, credentials):
    return V2Flavor(endpoint, credentials, request.param)


@pytest.fixture(scope="session")
def admin(endpoint, credentials):
    """oss2 with V1, for set-up and clean-up that is not under test."""
    return Oss2Flavor(endpoint, credentials, "v1")


@pytest.fixture
def bucket(default_bucket_name):
    """The session's bucket (created by `oss serve --bucket`); pair it with `key_prefix`."""
    return default_bucket_name


@pytest.fixture
def key_prefix(request):
    """A prefix unique to this test, so tests sharing the session bucket never see each other."""
    return random_name("t") + "/"


@pytest.fixture
def fresh_bucket(admin):
    """A new, empty bucket for this test, removed (with its contents) afterwards."""
    name = random_name("ct")
    admin.create_bucket(name)
    yield name
    empty_and_delete_bucket(admin, name)


# ---------------------------------------------------------------------------------------------
# Show the servers' output next to a failure


@pytest.fixture(autouse=True)
def _server_output_marks(request):
    request.node._server_marks = {id(s): s.mark() for s in SERVERS}
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and SERVERS:
        marks = getattr(item, "_server_marks", {})
        for server in SERVERS:
            text = server.output(since=marks.get(id(server), 0), limit=80)
            if text:
                report.sections.append((f"oss serve output ({server.data_dir.name})", text))
