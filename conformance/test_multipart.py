"""Multipart upload: Initiate, UploadPart, Complete (combined CRC), Abort, ListParts (HashCrc64ecma),
ListMultipartUploads, UploadPartCopy, and the errors the SDKs see (spec §3.7, §4.3, §4.5)."""

import pytest

from oss_conformance import (
    PartResult,
    V2Flavor,
    assert_crc_header,
    crc64,
    expect_failure,
    md5_hex,
    norm_etag,
    random_bytes,
)

# §4.5: A×102400, B×102400, C×7 → part CRCs and the combined CRC.
VECTOR_PARTS = [b"A" * 102400, b"B" * 102400, b"C" * 7]
VECTOR_PART_CRCS = [9427277473487083924, 15456447387727083107, 2590210805362472870]
VECTOR_COMBINED = 10271411604171994664

MIN_PART = 102400


@pytest.fixture
def v2_checker(endpoint, credentials):
    """v2 reads `HashCrc64ecma` from ListParts (oss2 does not): used to check it whatever the flavor."""
    return V2Flavor(endpoint, credentials, "v4")


def upload_parts(flavor, bucket, key, upload_id, contents, first_number=1):
    parts = []
    for i, data in enumerate(contents):
        part, resp = flavor.upload_part(bucket, key, upload_id, first_number + i, data)
        assert resp.status == 200
        assert_crc_header(resp.crc, crc64(data), f"UploadPart {first_number + i} x-oss-hash-crc64ecma")
        assert norm_etag(part.etag) == md5_hex(data), "UploadPart ETag must be the part's MD5"
        parts.append(part)
    return parts


def test_crc_vector(flavor, bucket, key_prefix, v2_checker):
    assert [crc64(p) for p in VECTOR_PARTS] == VECTOR_PART_CRCS
    assert crc64(b"".join(VECTOR_PARTS)) == VECTOR_COMBINED
    key = key_prefix + "vector.bin"
    upload_id = flavor.init(bucket, key)
    assert upload_id
    parts = upload_parts(flavor, bucket, key, upload_id, VECTOR_PARTS)
    for part, expected in zip(parts, VECTOR_PART_CRCS):
        assert int(part.crc) == expected

    listed, truncated, _ = v2_checker.list_parts(bucket, key, upload_id)
    assert truncated is False
    assert [(p.number, p.size) for p in listed] == [(1, 102400), (2, 102400), (3, 7)]
    assert [norm_etag(p.etag) for p in listed] == [norm_etag(p.etag) for p in parts]
    for p, expected in zip(listed, VECTOR_PART_CRCS):
        assert_crc_header(p.crc, expected, f"ListParts Part {p.number} HashCrc64ecma")
    own, _, _ = flavor.list_parts(bucket, key, upload_id)
    assert [(p.number, p.size) for p in own] == [(1, 102400), (2, 102400), (3, 7)]

    done = flavor.complete(bucket, key, upload_id, parts)  # oss2 also checks the combination itself
    assert done.status == 200
    assert_crc_header(done.crc, VECTOR_COMBINED, "CompleteMultipartUpload x-oss-hash-crc64ecma")
    assert done.header("etag"), "Complete must send an ETag header (oss2 reads only headers)"
    assert norm_etag(done.header("etag")).endswith("-3")

    got = flavor.get(bucket, key)
    assert got.body == b"".join(VECTOR_PARTS)
    assert_crc_header(got.crc, VECTOR_COMBINED)
    head = flavor.head(bucket, key)
    assert head.header("x-oss-object-type") == "Multipart"
    assert int(head.header("content-length")) == 204807
    assert_crc_header(head.crc, VECTOR_COMBINED)
    ranged = flavor.get(bucket, key, range_header="bytes=102399-102400")
    assert ranged.status == 206 and ranged.body == b"AB"
    assert_crc_header(ranged.crc, VECTOR_COMBINED, "ranged GET of a multipart object: whole-object CRC")

    # The upload id is dead after Complete.
    expect_failure(lambda: flavor.list_parts(bucket, key, upload_id), 404, "NoSuchUpload")


def test_random_parts_out_of_order_upload(flavor, bucket, key_prefix):
    key = key_prefix + "random.bin"
    contents = [random_bytes(MIN_PART + 1), random_bytes(MIN_PART + 333), random_bytes(4096)]
    upload_id = flavor.init(bucket, key)
    p3 = upload_parts(flavor, bucket, key, upload_id, [contents[2]], first_number=3)
    p1 = upload_parts(flavor, bucket, key, upload_id, [contents[0]], first_number=1)
    p2 = upload_parts(flavor, bucket, key, upload_id, [contents[1]], first_number=2)
    done = flavor.complete(bucket, key, upload_id, p1 + p2 + p3)
    whole = b"".join(contents)
    assert_crc_header(done.crc, crc64(whole))
    got = flavor.get(bucket, key)
    assert got.body == whole
    assert_crc_header(got.crc, crc64(whole))


def test_reuploaded_part_replaces_the_old_one(flavor, bucket, key_prefix, v2_checker):
    key = key_prefix + "reupload.bin"
    upload_id = flavor.init(bucket, key)
    upload_parts(flavor, bucket, key, upload_id, [random_bytes(MIN_PART)])
    newer = random_bytes(MIN_PART + 5)
    (part1,) = upload_parts(flavor, bucket, key, upload_id, [newer])
    (part2,) = upload_parts(flavor, bucket, key, upload_id, [b"tail"], first_number=2)
    listed, _, _ = v2_checker.list_parts(bucket, key, upload_id)
    assert [(p.number, p.size) for p in listed] == [(1, MIN_PART + 5), (2, 4)]
    assert_crc_header(listed[0].crc, crc64(newer))
    done = flavor.complete(bucket, key, upload_id, [part1, part2])
    assert_crc_header(done.crc, crc64(newer + b"tail"))
    assert flavor.get(bucket, key).body == newer + b"tail"


def test_gaps_allowed_and_unlisted_parts_discarded(flavor, bucket, key_prefix):
    key = key_prefix + "gaps.bin"
    contents = {1: random_bytes(MIN_PART), 4: random_bytes(MIN_PART + 9), 9: random_bytes(10)}
    upload_id = flavor.init(bucket, key)
    parts = {}
    for number, data in contents.items():
        (parts[number],) = upload_parts(flavor, bucket, key, upload_id, [data], first_number=number)
    done = flavor.complete(bucket, key, upload_id, [parts[1], parts[9]])
    whole = contents[1] + contents[9]
    assert_crc_header(done.crc, crc64(whole), "Complete CRC combines only the listed parts")
    got = flavor.get(bucket, key)
    assert got.body == whole
    assert_crc_header(got.crc, crc64(whole))


def test_multipart_metadata_and_content_type(flavor, bucket, key_prefix):
    key = key_prefix + "typed-multipart"
    upload_id = flavor.init(bucket, key, content_type="video/mp4", metadata={"Origin": "camera"})
    parts = upload_parts(flavor, bucket, key, upload_id, [b"frames"])
    flavor.complete(bucket, key, upload_id, parts)
    head = flavor.head(bucket, key)
    assert head.header("content-type") == "video/mp4"
    assert head.header("x-oss-meta-origin") == "camera"
    assert_crc_header(head.crc, crc64(b"frames"))


def test_abort(flavor, bucket, key_prefix):
    key = key_prefix + "aborted"
    upload_id = flavor.init(bucket, key)
    parts = upload_parts(flavor, bucket, key, upload_id, [b"data"])
    assert flavor.abort(bucket, key, upload_id).status == 204
    expect_failure(lambda: flavor.list_parts(bucket, key, upload_id), 404, "NoSuchUpload")
    expect_failure(lambda: flavor.upload_part(bucket, key, upload_id, 2, b"more"), 404, "NoSuchUpload")
    expect_failure(lambda: flavor.complete(bucket, key, upload_id, parts), 404, "NoSuchUpload")
    expect_failure(lambda: flavor.abort(bucket, key, upload_id), 404, "NoSuchUpload")
    expect_failure(lambda: flavor.head(bucket, key), 404, "NoSuchKey")
    assert (key, upload_id) not in flavor.list_uploads(bucket, prefix=key_prefix)


def test_unknown_upload_id(flavor, bucket, key_prefix):
    import oss2

    key = key_prefix + "unknown"
    failure = expect_failure(lambda: flavor.upload_part(bucket, key, "0004B9895DBBB6EC98E36", 1, b"x"),
                             404, "NoSuchUpload")
    if flavor.sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.NoSuchUpload
    expect_failure(lambda: flavor.list_parts(bucket, key, "0004B9895DBBB6EC98E36"), 404, "NoSuchUpload")
    expect_failure(lambda: flavor.abort(bucket, key, "0004B9895DBBB6EC98E36"), 404, "NoSuchUpload")


def test_upload_id_belongs_to_its_key(flavor, bucket, key_prefix):
    upload_id = flavor.init(bucket, key_prefix + "one")
    try:
        expect_failure(lambda: flavor.upload_part(bucket, key_prefix + "other", upload_id, 1, b"x"),
                       404, "NoSuchUpload")
    finally:
        flavor.abort(bucket, key_prefix + "one", upload_id)


def test_entity_too_small(flavor, bucket, key_prefix):
    key = key_prefix + "small"
    upload_id = flavor.init(bucket, key)
    parts = upload_parts(flavor, bucket, key, upload_id, [b"x" * (MIN_PART - 1), b"y" * 10])
    expect_failure(lambda: flavor.complete(bucket, key, upload_id, parts), 400, "EntityTooSmall")
    # The upload survives a refused Complete.
    listed, _, _ = flavor.list_parts(bucket, key, upload_id)
    assert [p.number for p in listed] == [1, 2]
    flavor.abort(bucket, key, upload_id)


def test_last_part_may_be_small(flavor, bucket, key_prefix):
    key = key_prefix + "boundary"
    upload_id = flavor.init(bucket, key)
    parts = upload_parts(flavor, bucket, key, upload_id, [b"x" * MIN_PART, b"y"])
    done = flavor.complete(bucket, key, upload_id, parts)
    assert_crc_header(done.crc, crc64(b"x" * MIN_PART + b"y"))


def test_invalid_part(flavor, bucket, key_prefix):
    key = key_prefix + "invalid-part"
    upload_id = flavor.init(bucket, key)
    (part,) = upload_parts(flavor, bucket, key, upload_id, [b"data"])
    quoted = part.etag.startswith('"')
    wrong = '"' + "0" * 32 + '"' if quoted else "0" * 32
    expect_failure(lambda: flavor.complete(bucket, key, upload_id, [PartResult(1, wrong, 4, None)]),
                   400, "InvalidPart")
    expect_failure(lambda: flavor.complete(bucket, key, upload_id, [part, PartResult(2, part.etag, 4, None)]),
                   400, "InvalidPart")
    flavor.abort(bucket, key, upload_id)


def test_invalid_part_order_v2(v2_flavor, bucket, key_prefix):
    """oss2 sorts the list itself; v2 sends it as given: numbers must be strictly ascending."""
    key = key_prefix + "order"
    upload_id = v2_flavor.init(bucket, key)
    parts = upload_parts(v2_flavor, bucket, key, upload_id, [b"a" * MIN_PART, b"b"])
    expect_failure(lambda: v2_flavor.complete(bucket, key, upload_id, list(reversed(parts))), 400, "InvalidPartOrder")
    v2_flavor.abort(bucket, key, upload_id)


def test_empty_part_list_is_malformed(flavor, bucket, key_prefix):
    key = key_prefix + "empty-list"
    upload_id = flavor.init(bucket, key)
    upload_parts(flavor, bucket, key, upload_id, [b"data"])
    expect_failure(lambda: flavor.complete(bucket, key, upload_id, []), 400, "MalformedXML")
    flavor.abort(bucket, key, upload_id)


@pytest.mark.parametrize("number", [0, 10001])
def test_part_number_out_of_range(oss2_flavor, bucket, key_prefix, number):
    key = key_prefix + "part-number"
    upload_id = oss2_flavor.init(bucket, key)
    expect_failure(lambda: oss2_flavor.upload_part(bucket, key, upload_id, number, b"x"), 400, "InvalidArgument")
    oss2_flavor.abort(bucket, key, upload_id)


def test_list_parts_pagination(flavor, bucket, key_prefix):
    key = key_prefix + "many-parts"
    upload_id = flavor.init(bucket, key)
    upload_parts(flavor, bucket, key, upload_id, [bytes([i]) * (i + 1) for i in range(5)])
    numbers, marker = [], ""
    for _ in range(6):
        parts, truncated, next_marker = flavor.list_parts(bucket, key, upload_id, marker=marker, max_parts=2)
        assert len(parts) <= 2
        numbers += [p.number for p in parts]
        if not truncated:
            break
        marker = str(next_marker)
    assert numbers == [1, 2, 3, 4, 5]
    flavor.abort(bucket, key, upload_id)


def test_list_multipart_uploads(flavor, bucket, key_prefix):
    a = flavor.init(bucket, key_prefix + "a")
    b1 = flavor.init(bucket, key_prefix + "b")
    b2 = flavor.init(bucket, key_prefix + "b")
    listed = flavor.list_uploads(bucket, prefix=key_prefix)
    assert sorted(listed) == sorted([(key_prefix + "a", a), (key_prefix + "b", b1), (key_prefix + "b", b2)])
    assert [k for k, _ in listed] == sorted(k for k, _ in listed), "uploads are sorted by key"
    flavor.abort(bucket, key_prefix + "a", a)
    parts = upload_parts(flavor, bucket, key_prefix + "b", b1, [b"x"])
    flavor.complete(bucket, key_prefix + "b", b1, parts)
    assert flavor.list_uploads(bucket, prefix=key_prefix) == [(key_prefix + "b", b2)]
    flavor.abort(bucket, key_prefix + "b", b2)
    assert flavor.list_uploads(bucket, prefix=key_prefix) == []


def test_oss2_list_multipart_uploads_fields(oss2_flavor, bucket, key_prefix):
    """oss2 requires NextKeyMarker and NextUploadIdMarker, and parses Initiated (.000Z)."""
    b = oss2_flavor.bucket(bucket)
    upload_id = b.init_multipart_upload(key_prefix + "fields").upload_id
    try:
        result = b.list_multipart_uploads(prefix=key_prefix)
        assert [(u.key, u.upload_id) for u in result.upload_list] == [(key_prefix + "fields", upload_id)]
        assert result.upload_list[0].initiation_date > 0
        assert result.is_truncated is False
    finally:
        b.abort_multipart_upload(key_prefix + "fields", upload_id)


def test_upload_part_copy(flavor, bucket, key_prefix, v2_checker):
    source = random_bytes(2 * MIN_PART + 777)
    src_key = key_prefix + "copy-source"
    flavor.put(bucket, src_key, source)
    key = key_prefix + "copy-target"
    upload_id = flavor.init(bucket, key)
    first, copy_resp = flavor.upload_part_copy(bucket, key, upload_id, 1, bucket, src_key, 0, MIN_PART - 1)
    assert copy_resp.status == 200
    assert copy_resp.header("etag"), "UploadPartCopy must send an ETag header"
    assert norm_etag(first.etag) == md5_hex(source[:MIN_PART])
    # §3.7/§6: the server sends and stores the copied range's CRC.
    assert_crc_header(copy_resp.header("x-oss-hash-crc64ecma"), crc64(source[:MIN_PART]),
                      "UploadPartCopy x-oss-hash-crc64ecma")
    second, copy_resp = flavor.upload_part_copy(bucket, key, upload_id, 2, bucket, src_key, MIN_PART, len(source) - 1)
    assert_crc_header(copy_resp.header("x-oss-hash-crc64ecma"), crc64(source[MIN_PART:]))
    (third,) = upload_parts(flavor, bucket, key, upload_id, [b"+tail"], first_number=3)
    listed, _, _ = v2_checker.list_parts(bucket, key, upload_id)
    assert [(p.number, p.size) for p in listed] == [(1, MIN_PART), (2, len(source) - MIN_PART), (3, 5)]
    assert_crc_header(listed[0].crc, crc64(source[:MIN_PART]), "ListParts HashCrc64ecma of a copied part")
    assert_crc_header(listed[1].crc, crc64(source[MIN_PART:]), "ListParts HashCrc64ecma of a copied part")
    done = flavor.complete(bucket, key, upload_id, [first, second, third])
    whole = source + b"+tail"
    assert_crc_header(done.crc, crc64(whole))
    got = flavor.get(bucket, key)
    assert got.body == whole
    assert_crc_header(got.crc, crc64(whole))


def test_upload_part_copy_missing_source(flavor, bucket, key_prefix):
    key = key_prefix + "copy-missing"
    upload_id = flavor.init(bucket, key)
    expect_failure(lambda: flavor.upload_part_copy(bucket, key, upload_id, 1, bucket, key_prefix + "nope", 0, 9),
                   404, "NoSuchKey")
    flavor.abort(bucket, key, upload_id)
