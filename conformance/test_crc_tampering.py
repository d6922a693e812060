"""Negative CRC tests: a proxy corrupts responses on their way from the server to the SDK, and the
SDKs' CRC-64 checks (on by default) must catch it — proving they run against our headers.

oss2 raises `oss2.exceptions.InconsistentError`; v2 raises `exceptions.InconsistentError`, wrapped in
`OperationError` (operations), `UploadError` (Uploader) or `DownloadError` (Downloader).
"""

import oss2
import alibabacloud_oss_v2 as oss
from alibabacloud_oss_v2 import exceptions as v2exc
from alibabacloud_oss_v2.downloader import DownloadError
from alibabacloud_oss_v2.uploader import UploadError
import pytest

from oss_conformance import (
    FLAVORS,
    assert_crc_header,
    crc64,
    find_in_chain,
    make_flavor,
    random_bytes,
)
from tamper_proxy import TamperProxy


@pytest.fixture
def proxy(endpoint):
    p = TamperProxy(endpoint)
    yield p
    p.close()


def expect_inconsistent(flavor_or_sdk, fn):
    sdk = flavor_or_sdk if isinstance(flavor_or_sdk, str) else flavor_or_sdk.sdk
    with pytest.raises(Exception) as info:
        fn()
    if sdk == "oss2":
        assert isinstance(info.value, oss2.exceptions.InconsistentError), f"expected InconsistentError, got {info.value!r}"
    else:
        inner = find_in_chain(info.value, v2exc.InconsistentError)
        assert inner is not None, f"expected an InconsistentError (wrapped), got {info.value!r}"
    return info.value


@pytest.mark.parametrize("flavor_name", FLAVORS)
def test_proxy_alone_changes_nothing(proxy, credentials, bucket, key_prefix, flavor_name, tmp_path):
    """Control: through the proxy, with tampering off, everything verifies."""
    flavor = make_flavor(flavor_name, proxy.endpoint, credentials)
    data = random_bytes(200 * 1024)
    key = key_prefix + "transparent"
    assert_crc_header(flavor.put(bucket, key, data).crc, crc64(data))
    got = flavor.get(bucket, key)
    assert got.body == data
    flavor.get_to_file(bucket, key, tmp_path / "out")
    assert (tmp_path / "out").read_bytes() == data
    upload_id = flavor.init(bucket, key + "-mp")
    part, _ = flavor.upload_part(bucket, key + "-mp", upload_id, 1, data)
    assert_crc_header(flavor.complete(bucket, key + "-mp", upload_id, [part]).crc, crc64(data))
    assert proxy.tampered == 0


# ---------------------------------------------------------------------------------------------
# (a) a flipped bit in a GET body, headers untouched


@pytest.fixture
def stored(admin, bucket, key_prefix):
    data = random_bytes(700 * 1024)
    key = key_prefix + "stored.bin"
    admin.bucket(bucket).put_object(key, data)
    return key, data


@pytest.mark.parametrize("signature", ["v1", "v4"])
def test_oss2_get_object_to_file_detects_flipped_body(proxy, credentials, bucket, stored, signature, tmp_path):
    key, data = stored
    flavor = make_flavor(f"oss2-{signature}", proxy.endpoint, credentials)
    proxy.mode = "flip-body"
    expect_inconsistent("oss2", lambda: flavor.bucket(bucket).get_object_to_file(key, str(tmp_path / "out")))
    assert proxy.tampered >= 1
    # The streamed result exposes both CRCs; they must disagree too.
    result = flavor.bucket(bucket).get_object(key)
    body = result.read()
    assert body != data
    assert result.client_crc == crc64(body) and result.server_crc == crc64(data)


def test_oss2_resumable_download_detects_flipped_body(proxy, credentials, bucket, stored, tmp_path):
    key, _ = stored
    flavor = make_flavor("oss2-v1", proxy.endpoint, credentials)
    proxy.mode = "flip-body"
    expect_inconsistent("oss2", lambda: oss2.resumable_download(
        flavor.bucket(bucket), key, str(tmp_path / "out"),
        store=oss2.ResumableDownloadStore(root=str(tmp_path / "store")),
        multiget_threshold=100 * 1024, part_size=200 * 1024, num_threads=2))


@pytest.mark.parametrize("signature", ["v4", "v1"])
def test_v2_get_object_to_file_detects_flipped_body(proxy, credentials, bucket, stored, signature, tmp_path):
    key, _ = stored
    flavor = make_flavor(f"v2-{signature}", proxy.endpoint, credentials)
    proxy.mode = "flip-body"
    expect_inconsistent("v2", lambda: flavor.client.get_object_to_file(
        oss.GetObjectRequest(bucket=bucket, key=key), str(tmp_path / "out")))
    assert proxy.tampered >= 1


@pytest.mark.parametrize("parallel", [1, 3])
def test_v2_downloader_detects_flipped_body(proxy, credentials, bucket, stored, parallel, tmp_path):
    key, _ = stored
    flavor = make_flavor("v2-v4", proxy.endpoint, credentials)
    proxy.mode = "flip-body"
    error = expect_inconsistent("v2", lambda: flavor.client.downloader(part_size=200 * 1024, parallel_num=parallel)
                                .download_file(oss.GetObjectRequest(bucket=bucket, key=key), str(tmp_path / "out")))
    assert find_in_chain(error, DownloadError) is not None


# ---------------------------------------------------------------------------------------------
# (b) a rewritten x-oss-hash-crc64ecma on write responses


@pytest.mark.parametrize("flavor_name", FLAVORS)
def test_put_object_detects_rewritten_crc(proxy, credentials, admin, bucket, key_prefix, flavor_name):
    flavor = make_flavor(flavor_name, proxy.endpoint, credentials)
    data = random_bytes(10000)
    key = key_prefix + "put-rewritten"
    proxy.mode = "rewrite-crc"
    error = expect_inconsistent(flavor, lambda: flavor.put(bucket, key, data))
    if flavor.sdk == "v2":
        assert find_in_chain(error, v2exc.OperationError) is not None
    assert proxy.tampered >= 1
    # The server itself stored the right bytes.
    assert admin.bucket(bucket).get_object(key).read() == data


@pytest.mark.parametrize("flavor_name", FLAVORS)
def test_upload_part_detects_rewritten_crc(proxy, credentials, bucket, key_prefix, flavor_name):
    flavor = make_flavor(flavor_name, proxy.endpoint, credentials)
    key = key_prefix + "part-rewritten"
    upload_id = flavor.init(bucket, key)
    proxy.mode = "rewrite-crc"
    expect_inconsistent(flavor, lambda: flavor.upload_part(bucket, key, upload_id, 1, random_bytes(150 * 1024)))
    proxy.mode = None
    flavor.abort(bucket, key, upload_id)


@pytest.mark.parametrize("signature", ["v1", "v4"])
def test_oss2_complete_detects_rewritten_crc(proxy, credentials, bucket, key_prefix, signature):
    """oss2 combines the PartInfo CRCs itself and compares them with Complete's header."""
    flavor = make_flavor(f"oss2-{signature}", proxy.endpoint, credentials)
    key = key_prefix + "complete-rewritten"
    upload_id = flavor.init(bucket, key)
    parts = [flavor.upload_part(bucket, key, upload_id, n, random_bytes(size))[0]
             for n, size in ((1, 102400), (2, 5000))]
    proxy.mode = "rewrite-crc"
    proxy.rewrite_methods = {"POST"}
    expect_inconsistent("oss2", lambda: flavor.complete(bucket, key, upload_id, parts))


def test_oss2_resumable_upload_detects_rewritten_complete_crc(proxy, credentials, bucket, key_prefix, tmp_path):
    flavor = make_flavor("oss2-v4", proxy.endpoint, credentials)
    path = tmp_path / "src"
    path.write_bytes(random_bytes(600 * 1024))
    proxy.mode = "rewrite-crc"
    proxy.rewrite_methods = {"POST"}
    expect_inconsistent("oss2", lambda: oss2.resumable_upload(
        flavor.bucket(bucket), key_prefix + "resumable-rewritten", str(path),
        store=oss2.ResumableStore(root=str(tmp_path / "store")), multipart_threshold=100 * 1024,
        part_size=200 * 1024, num_threads=2))


@pytest.mark.parametrize("signature", ["v4", "v1"])
def test_v2_uploader_detects_rewritten_complete_crc(proxy, credentials, bucket, key_prefix, signature, tmp_path):
    """v2's Uploader combines the UploadPart CRCs and compares them with Complete's header."""
    flavor = make_flavor(f"v2-{signature}", proxy.endpoint, credentials)
    path = tmp_path / "src"
    path.write_bytes(random_bytes(600 * 1024))
    proxy.mode = "rewrite-crc"
    proxy.rewrite_methods = {"POST"}
    error = expect_inconsistent("v2", lambda: flavor.client.uploader(part_size=200 * 1024, parallel_num=2).upload_file(
        oss.PutObjectRequest(bucket=bucket, key=key_prefix + "uploader-rewritten"), str(path)))
    assert find_in_chain(error, UploadError) is not None
