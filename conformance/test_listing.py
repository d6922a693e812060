"""ListObjects (V1) and ListObjectsV2: prefix, delimiter, marker, continuation token, start-after,
max-keys and encoding-type=url (spec §3.4), each in a fresh bucket."""

from urllib.parse import unquote
import re

import pytest

from oss_conformance import md5_hex, norm_etag

# Sorted by UTF-8 bytes (= by code point). `pct%41.txt` catches a server that claims
# encoding-type=url without encoding: the SDKs would decode `%41` to `A`.
KEYS = sorted(["a.txt", "b/1.txt", "b/2.txt", "b/c/3.txt", "b0", "c d+e.txt", "pct%41.txt", "z", "中文/键.txt",
               "~tilde"])


@pytest.fixture
def populated(admin, fresh_bucket):
    b = admin.bucket(fresh_bucket)
    for key in KEYS:
        b.put_object(key, key.encode() * 2)
    return fresh_bucket


def test_list_empty_bucket(flavor, fresh_bucket):
    for listing in (flavor.list_v1(fresh_bucket), flavor.list_v2(fresh_bucket)):
        assert listing.keys == [] and listing.prefixes == [] and listing.truncated is False


def test_list_all_v1(flavor, populated):
    listing = flavor.list_v1(populated, max_keys=1000)
    assert listing.keys == KEYS
    assert listing.truncated is False
    assert listing.prefixes == []
    for key in KEYS:
        assert listing.sizes[key] == len(key.encode()) * 2
        assert norm_etag(listing.etags[key]) == md5_hex(key.encode() * 2)
        assert listing.types[key] == "Normal"


def test_list_all_v2(flavor, populated):
    listing = flavor.list_v2(populated, max_keys=1000)
    assert listing.keys == KEYS
    assert listing.truncated is False
    if listing.key_count is not None:
        assert listing.key_count == len(KEYS)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_prefix(flavor, populated, version):
    lister = flavor.list_v1 if version == "v1" else flavor.list_v2
    assert lister(populated, prefix="b/").keys == ["b/1.txt", "b/2.txt", "b/c/3.txt"]
    assert lister(populated, prefix="b").keys == ["b/1.txt", "b/2.txt", "b/c/3.txt", "b0"]
    assert lister(populated, prefix="中文/").keys == ["中文/键.txt"]
    assert lister(populated, prefix="c d").keys == ["c d+e.txt"]
    assert lister(populated, prefix="nothing").keys == []


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_prefix_with_space_and_plus(flavor, populated, version):
    """oss2 sends query parameters through `requests`, which form-encodes them: a space goes out as
    `+` and a `+` as `%2B` (`?prefix=c+d%2B`); v2 sends `%20`. The server must read `+` in a query
    as a space, or oss2 lists the wrong prefix (V1) or fails the V4 signature, which covers the
    decoded value."""
    lister = flavor.list_v1 if version == "v1" else flavor.list_v2
    assert lister(populated, prefix="c d+").keys == ["c d+e.txt"]
    assert lister(populated, prefix="c", delimiter="+").prefixes == ["c d+"]


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_delimiter(flavor, populated, version):
    lister = flavor.list_v1 if version == "v1" else flavor.list_v2
    top = lister(populated, delimiter="/")
    assert top.keys == [k for k in KEYS if "/" not in k]
    assert top.prefixes == ["b/", "中文/"]
    inner = lister(populated, prefix="b/", delimiter="/")
    assert inner.keys == ["b/1.txt", "b/2.txt"]
    assert inner.prefixes == ["b/c/"]


def test_marker_is_exclusive(flavor, populated):
    assert flavor.list_v1(populated, marker="b/2.txt").keys == [k for k in KEYS if k > "b/2.txt"]
    assert flavor.list_v1(populated, marker="zzz").keys == [k for k in KEYS if k > "zzz"]


def test_start_after_is_exclusive(flavor, populated):
    assert flavor.list_v2(populated, start_after="b/2.txt").keys == [k for k in KEYS if k > "b/2.txt"]


@pytest.mark.parametrize("page", [1, 2, 3, 7])
def test_marker_pagination_v1(flavor, populated, page):
    seen, marker, rounds = [], "", 0
    while True:
        listing = flavor.list_v1(populated, marker=marker, max_keys=page)
        rounds += 1
        assert len(listing.keys) <= page
        seen += listing.keys
        if not listing.truncated:
            break
        assert listing.next_marker, "NextMarker is required when truncated"
        marker = listing.next_marker
        assert rounds <= len(KEYS) + 1, "pagination does not terminate"
    assert seen == KEYS


@pytest.mark.parametrize("page", [1, 2, 3, 7])
def test_continuation_token_pagination_v2(flavor, populated, page):
    seen, token, rounds = [], "", 0
    while True:
        listing = flavor.list_v2(populated, continuation_token=token, max_keys=page)
        rounds += 1
        assert len(listing.keys) <= page
        if listing.key_count is not None:
            assert listing.key_count == len(listing.keys) + len(listing.prefixes)
        seen += listing.keys
        if not listing.truncated:
            break
        assert listing.next_marker, "NextContinuationToken is required when truncated"
        token = listing.next_marker
        assert rounds <= len(KEYS) + 1, "pagination does not terminate"
    assert seen == KEYS


def test_pagination_with_delimiter_counts_prefixes(flavor, populated):
    """max-keys counts keys plus common prefixes; pages never repeat a prefix."""
    keys, prefixes, marker = [], [], ""
    for _ in range(len(KEYS) + 1):
        listing = flavor.list_v1(populated, delimiter="/", marker=marker, max_keys=2)
        assert len(listing.keys) + len(listing.prefixes) <= 2
        keys += listing.keys
        prefixes += listing.prefixes
        if not listing.truncated:
            break
        marker = listing.next_marker
    assert keys == [k for k in KEYS if "/" not in k]
    assert prefixes == ["b/", "中文/"]


def _raw_list(admin, bucket, params):
    """The raw XML body of a listing, through oss2's (private) request helper, V1-signed."""
    resp = admin.bucket(bucket)._Bucket__do_bucket("GET", params=params)
    return resp.read().decode("utf-8")


@pytest.mark.parametrize("list_type", [None, "2"])
def test_encoding_type_url_raw(admin, populated, list_type):
    params = {"encoding-type": "url", "max-keys": "1000"}
    if list_type:
        params["list-type"] = list_type
    body = _raw_list(admin, populated, params)
    assert "<EncodingType>url</EncodingType>" in body
    raw_keys = re.findall(r"<Key>(.*?)</Key>", body)
    assert [unquote(k) for k in raw_keys] == KEYS
    for raw in raw_keys:
        assert " " not in raw and "+" not in raw, f"key not percent-encoded (space must be %20): {raw!r}"
        assert re.fullmatch(r"[A-Za-z0-9\-_.~%]*", raw), f"key not percent-encoded: {raw!r}"
    prefix_body = _raw_list(admin, populated, dict(params, delimiter="/", prefix=""))
    raw_prefixes = re.findall(r"<CommonPrefixes>\s*<Prefix>(.*?)</Prefix>", prefix_body)
    assert [unquote(p) for p in raw_prefixes] == ["b/", "中文/"]
    assert all(re.fullmatch(r"[A-Za-z0-9\-_.~%]*", p) for p in raw_prefixes), raw_prefixes


def test_no_encoding_type_returns_raw_keys(admin, populated):
    """Without encoding-type the keys come back as they are (XML-escaped only)."""
    body = _raw_list(admin, populated, {"max-keys": "1000"})
    assert "<EncodingType>" not in body
    assert "<Key>pct%41.txt</Key>" in body
    assert "<Key>c d+e.txt</Key>" in body
    b = admin.bucket(populated)
    listing = b.list_objects_v2(encoding_type="", max_keys=1000)
    assert [o.key for o in listing.object_list] == KEYS


def test_list_objects_iterators(admin, populated):
    """oss2's iterators (which retry on 5xx) walk the same listing."""
    import oss2

    b = admin.bucket(populated)
    assert [o.key for o in oss2.ObjectIterator(b, max_keys=3)] == KEYS
    assert [o.key for o in oss2.ObjectIteratorV2(b, max_keys=3)] == KEYS


def test_v2_paginator(v2_flavor, populated):
    import alibabacloud_oss_v2 as oss

    keys = []
    for page in v2_flavor.client.list_objects_v2_paginator(limit=3).iter_page(
            oss.ListObjectsV2Request(bucket=populated)):
        keys += [o.key for o in (page.contents or [])]
    assert keys == KEYS
