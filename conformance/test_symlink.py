"""Symlinks (spec §3.5): oss2 sends the target URL-encoded, v2 raw; GET and HEAD through a link
serve the target with the target's CRC; a dangling link is 404 SymlinkTargetNotExist."""

from oss_conformance import assert_crc_header, crc64, expect_failure, random_bytes


def test_symlink_round_trip_and_reads_through(flavor, bucket, key_prefix):
    target = key_prefix + "dir/a b+c.txt"
    data = random_bytes(12_345)
    flavor.put(bucket, target, data, content_type="text/plain")
    link = key_prefix + "link"
    flavor.put_symlink(bucket, link, target)
    assert flavor.get_symlink(bucket, link) in (target, target.replace(" ", "%20").replace("+", "%2B"))
    if flavor.sdk == "oss2":
        assert flavor.get_symlink(bucket, link) == target, "oss2 decodes the target"
    got = flavor.get(bucket, link)
    assert got.body == data
    assert_crc_header(got.crc, crc64(data))
    head = flavor.head(bucket, link)
    assert int(head.header("content-length")) == len(data)
    assert_crc_header(head.crc, crc64(data))
    ranged = flavor.get(bucket, link, byte_range=(10, 19))
    assert ranged.status == 206 and ranged.body == data[10:20]
    assert_crc_header(ranged.crc, crc64(data))


def test_dangling_link_and_non_link(flavor, bucket, key_prefix):
    link = key_prefix + "dangling"
    flavor.put_symlink(bucket, link, key_prefix + "nowhere")
    expect_failure(lambda: flavor.get(bucket, link), 404, "SymlinkTargetNotExist")
    expect_failure(lambda: flavor.head(bucket, link), 404, "SymlinkTargetNotExist")
    flavor.put(bucket, key_prefix + "nowhere", b"here")
    assert flavor.get(bucket, link).body == b"here"
    flavor.put(bucket, key_prefix + "plain", b"p")
    expect_failure(lambda: flavor.get_symlink(bucket, key_prefix + "plain"), 400, "NotSymlink")
