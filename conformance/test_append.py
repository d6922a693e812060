"""AppendObject (spec §3.5, §4.3, §4.5, §6.4) through every flavor, oss2's `init_crc` chain and
v2's `AppendOnlyFile`, with every CRC computed here by crcmod."""

import pytest
import oss2
import alibabacloud_oss_v2 as oss

from oss_conformance import assert_crc_header, crc64, expect_failure, find_in_chain, random_bytes


def test_append_chain_returns_whole_object_crc(flavor, bucket, key_prefix):
    key = key_prefix + "app.log"
    pieces = [b"line1\n", b"line2\n", random_bytes(70_000), b"", random_bytes(3)]
    position, crc, content = 0, 0, b""
    for piece in pieces:
        # oss2 verifies the server's CRC against Crc64(init_crc) over the piece itself.
        resp, next_position = flavor.append(bucket, key, position, piece, init_crc=crc)
        content += piece
        assert next_position == len(content)
        assert_crc_header(resp.crc, crc64(content), "AppendObject x-oss-hash-crc64ecma (whole object)")
        position, crc = next_position, crc64(content)
    if flavor.sdk == "oss2":
        assert crc64(b"line1\nline2\n") == 1038713013172538275, "the §4.5 vector"
    got = flavor.get(bucket, key)
    assert got.body == content
    assert_crc_header(got.crc, crc64(content))
    assert got.header("x-oss-object-type") == "Appendable"
    assert int(got.header("x-oss-next-append-position")) == len(content)


def test_wrong_position_reports_length_and_crc(flavor, bucket, key_prefix):
    key = key_prefix + "wrong.log"
    flavor.append(bucket, key, 0, b"0123456789")
    failure = expect_failure(lambda: flavor.append(bucket, key, 3, b"x"), 409, "PositionNotEqualToLength")
    if flavor.sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.PositionNotEqualToLength
        assert failure.error.next_position == 10
    headers = {k.lower(): v for k, v in dict(failure.error.headers).items()}
    assert headers["x-oss-next-append-position"] == "10"
    assert_crc_header(headers.get("x-oss-hash-crc64ecma"), crc64(b"0123456789"), "409 CRC (better than OSS)")
    assert flavor.get(bucket, key).body == b"0123456789"


def test_append_to_normal_object_is_refused(flavor, bucket, key_prefix):
    key = key_prefix + "normal"
    flavor.put(bucket, key, b"normal")
    failure = expect_failure(lambda: flavor.append(bucket, key, 6, b"x"), 409, "ObjectNotAppendable")
    if flavor.sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.ObjectNotAppendable


def test_oss2_init_crc_catches_a_wrong_start(oss2_flavor, bucket, key_prefix):
    """With a wrong init_crc, oss2's own check must fail (the server's CRC is the real one)."""
    key = key_prefix + "init-crc"
    oss2_flavor.append(bucket, key, 0, b"abc", init_crc=0)
    with pytest.raises(oss2.exceptions.InconsistentError):
        oss2_flavor.append(bucket, key, 3, b"def", init_crc=crc64(b"xyz"))


@pytest.mark.parametrize("signature", ["v4", "v1"])
def test_v2_append_only_file(endpoint, credentials, bucket, key_prefix, signature):
    from oss_conformance import V2Flavor

    client = V2Flavor(endpoint, credentials, signature).client
    key = key_prefix + "append-only.bin"
    data = [random_bytes(1000), random_bytes(50_000), b"tail"]
    create = oss.AppendObjectRequest(content_type="text/plain", metadata={"origin": "append-file"}, tagging="a=1")
    with client.append_file(bucket, key, create_parameter=create) as f:
        for piece in data[:2]:
            assert f.write(piece) == len(piece)
    # Reopening reads the position and CRC from HEAD and keeps going.
    with client.append_file(bucket, key) as f:
        assert f.tell() == len(data[0]) + len(data[1])
        f.write(data[2])
    whole = b"".join(data)
    head = client.head_object(oss.HeadObjectRequest(bucket=bucket, key=key))
    assert head.content_length == len(whole)
    assert_crc_header(head.hash_crc64, crc64(whole))
    assert head.content_type == "text/plain"
    assert head.metadata.get("origin") == "append-file"
    assert head.tagging_count == 1
    body = client.get_object(oss.GetObjectRequest(bucket=bucket, key=key)).body.read()
    assert body == whole


def test_v2_append_only_file_refuses_a_normal_object(v2_flavor, bucket, key_prefix):
    key = key_prefix + "not-appendable"
    v2_flavor.put(bucket, key, b"x")
    with pytest.raises(Exception) as info:
        v2_flavor.client.append_file(bucket, key)
    assert "appendable" in str(info.value).lower()
