"""Bucket versioning, driven by oss2 and alibabacloud-oss-v2 as their own tests drive it.

What OSS answers (and these tests pin): GetBucketVersioning has no Status until versioning is
set, and a bad Status is MalformedXML; every write of an Enabled bucket gets `x-oss-version-id`;
a delete without a version id leaves a delete marker (`x-oss-delete-marker: true`); a read of a
key whose latest version is a marker is 404 NoSuchKey, of a marker by id 405 MethodNotAllowed;
a gone version is 404 NoSuchVersion, a malformed id 400 InvalidArgument; ListObjectVersions lists
by key, newest first, and pages by key-marker and version-id-marker; a Suspended bucket writes and
deletes the `null` version; forbid-overwrite does not apply with versioning on.
"""

from __future__ import annotations

import alibabacloud_oss_v2 as oss
import oss2
from oss2.models import BatchDeleteObjectVersion, BatchDeleteObjectVersionList, BucketVersioningConfig

from oss_conformance import crc64, expect_failure, random_name


def _enable(admin, bucket, status="Enabled"):
    admin.bucket(bucket).put_bucket_versioning(BucketVersioningConfig(status))


def test_versioning_states_with_both_sdks(oss2_flavor, v2_flavor, fresh_bucket):
    b = oss2_flavor.bucket(fresh_bucket)
    assert b.get_bucket_versioning().status is None
    assert b.get_bucket_info().versioning_status is None
    get = lambda: v2_flavor.client.get_bucket_versioning(oss.GetBucketVersioningRequest(bucket=fresh_bucket))
    assert get().version_status is None

    for bad in ("Disabled", "None", "enabled"):
        expect_failure(lambda: b.put_bucket_versioning(BucketVersioningConfig(bad)), 400, "MalformedXML")
    b.put_bucket_versioning(BucketVersioningConfig("Enabled"))
    assert b.get_bucket_versioning().status == "Enabled"
    assert b.get_bucket_info().versioning_status == "Enabled"
    v2_flavor.client.put_bucket_versioning(
        oss.PutBucketVersioningRequest(
            bucket=fresh_bucket, versioning_configuration=oss.VersioningConfiguration(status="Suspended")))
    assert get().version_status == "Suspended"
    assert b.get_bucket_versioning().status == "Suspended"

    missing = oss2_flavor.bucket(random_name("gone"))
    expect_failure(lambda: missing.put_bucket_versioning(BucketVersioningConfig("Enabled")), 404, "NoSuchBucket")
    expect_failure(lambda: missing.get_bucket_versioning(), 404, "NoSuchBucket")


def test_oss2_versions_markers_and_reads(oss2_flavor, admin, fresh_bucket):
    _enable(admin, fresh_bucket)
    b = oss2_flavor.bucket(fresh_bucket)
    bodies = [b"first version", b"second, longer version", b"third"]
    ids = [b.put_object("k", body).versionid for body in bodies]
    assert all(ids) and len(set(ids)) == 3
    assert b.head_object("k").versionid == ids[-1]
    # oss2 checks the CRC-64 of what it reads; each version has its own.
    for version, body in zip(ids, bodies):
        got = b.get_object("k", params={"versionId": version})
        assert got.read() == body and got.versionid == version
        assert b.head_object("k", params={"versionId": version}).server_crc == crc64(body)

    deleted = b.delete_object("k")
    assert deleted.status == 204 and deleted.delete_marker and deleted.versionid not in ids
    marker = deleted.versionid
    failure = expect_failure(lambda: b.get_object("k"), 404, "NoSuchKey")
    assert failure.error.headers.get("x-oss-delete-marker") == "true"
    assert failure.error.headers.get("x-oss-version-id") == marker
    failure = expect_failure(lambda: b.get_object("k", params={"versionId": marker}), 405, "MethodNotAllowed")
    assert failure.error.headers.get("x-oss-delete-marker") == "true"
    expect_failure(lambda: b.head_object("k"), 404, "NoSuchKey")
    assert [o.key for o in oss2.ObjectIterator(b)] == []

    listing = b.list_object_versions()
    assert [(v.versionid, v.is_latest) for v in listing.versions] == [(ids[2], False), (ids[1], False), (ids[0], False)]
    assert [(m.versionid, m.is_latest) for m in listing.delete_marker] == [(marker, True)]
    assert [v.size for v in listing.versions] == [len(bodies[2]), len(bodies[1]), len(bodies[0])]
    assert listing.is_truncated is False and listing.next_key_marker == "" and listing.next_versionid_marker == ""

    # Removing the marker brings the object back; removing a version makes it NoSuchVersion.
    removed = b.delete_object("k", params={"versionId": marker})
    assert removed.delete_marker and removed.versionid == marker
    assert b.get_object("k").read() == bodies[2]
    assert b.delete_object("k", params={"versionId": ids[0]}).versionid == ids[0]
    expect_failure(lambda: b.get_object("k", params={"versionId": ids[0]}), 404, "NoSuchVersion")
    expect_failure(lambda: b.get_object("k", params={"versionId": "234"}), 400, "InvalidArgument")


def test_v2_versions_markers_and_reads(v2_flavor, admin, fresh_bucket):
    _enable(admin, fresh_bucket)
    c = v2_flavor.client
    put = lambda body: c.put_object(oss.PutObjectRequest(bucket=fresh_bucket, key="k", body=body))
    first, second = put(b"one"), put(b"two")
    assert first.version_id and second.version_id and first.version_id != second.version_id
    old = c.get_object(oss.GetObjectRequest(bucket=fresh_bucket, key="k", version_id=first.version_id))
    assert old.body.read() == b"one" and old.version_id == first.version_id
    assert old.hash_crc64 == str(crc64(b"one"))
    meta = c.get_object_meta(oss.GetObjectMetaRequest(bucket=fresh_bucket, key="k", version_id=first.version_id))
    assert meta.version_id == first.version_id and meta.content_length == 3

    deleted = c.delete_object(oss.DeleteObjectRequest(bucket=fresh_bucket, key="k"))
    assert deleted.status_code == 204 and deleted.delete_marker is True and deleted.version_id
    failure = expect_failure(lambda: c.get_object(oss.GetObjectRequest(bucket=fresh_bucket, key="k")), 404, "NoSuchKey")
    assert failure.error.headers.get("x-oss-delete-marker") == "true"
    expect_failure(
        lambda: c.head_object(oss.HeadObjectRequest(bucket=fresh_bucket, key="k", version_id=deleted.version_id)),
        405, "MethodNotAllowed")
    listing = c.list_object_versions(oss.ListObjectVersionsRequest(bucket=fresh_bucket))
    assert [v.version_id for v in listing.version] == [second.version_id, first.version_id]
    assert [(m.version_id, m.is_latest) for m in listing.delete_marker] == [(deleted.version_id, True)]
    assert listing.max_keys == 100 and listing.is_truncated is False

    # In a bucket whose versioning was never on, deletes name no version and no marker.
    plain = random_name("ct")
    c.put_bucket(oss.PutBucketRequest(bucket=plain))
    c.put_object(oss.PutObjectRequest(bucket=plain, key="k", body=b"x"))
    result = c.delete_object(oss.DeleteObjectRequest(bucket=plain, key="k"))
    assert result.version_id is None and result.delete_marker is None
    c.delete_bucket(oss.DeleteBucketRequest(bucket=plain))


def test_listing_pages_through_fifty_versions_with_both_sdks(oss2_flavor, v2_flavor, admin, fresh_bucket):
    _enable(admin, fresh_bucket)
    b = oss2_flavor.bucket(fresh_bucket)
    written = []
    for key in ("a/x", "b", "c/y"):
        for i in range(17 if key == "b" else 16):
            written.append((key, b.put_object(key, str(i).encode()).versionid))
    b.delete_object("b")
    expected = []
    for key in ("a/x", "b", "c/y"):
        mine = [v for k, v in written if k == key]
        expected += [(key, v) for v in reversed(mine)]
    # The marker is the newest version of "b".
    everything = b.list_object_versions(max_keys=1000)
    assert len(everything.versions) + len(everything.delete_marker) == 50

    seen, key_marker, version_marker = [], "", ""
    while True:
        page = b.list_object_versions(key_marker=key_marker, versionid_marker=version_marker, max_keys=20)
        assert len(page.versions) + len(page.delete_marker) <= 20
        seen += [(v.key, v.versionid) for v in page.versions]
        if not page.is_truncated:
            break
        key_marker, version_marker = page.next_key_marker, page.next_versionid_marker
    assert seen == expected

    paginator = v2_flavor.client.list_object_versions_paginator(limit=7)
    v2_seen, v2_markers = [], []
    for page in paginator.iter_page(oss.ListObjectVersionsRequest(bucket=fresh_bucket)):
        v2_seen += [(v.key, v.version_id) for v in page.version or []]
        v2_markers += [m.key for m in page.delete_marker or []]
    assert v2_seen == expected and v2_markers == ["b"]

    grouped = b.list_object_versions(delimiter="/", max_keys=1000)
    assert [p for p in grouped.common_prefix] == ["a/", "c/"]
    assert {v.key for v in grouped.versions} == {"b"}

    expect_failure(lambda: b.list_object_versions(versionid_marker="a" * 1025), 400, "InvalidArgument")
    expect_failure(lambda: b.list_object_versions(max_keys=1001), 400, "InvalidArgument")


def test_batch_deletes_with_versions(oss2_flavor, v2_flavor, admin, fresh_bucket):
    _enable(admin, fresh_bucket)
    b = oss2_flavor.bucket(fresh_bucket)
    ids = [b.put_object("k", str(i).encode()).versionid for i in range(3)]
    # Without version ids: markers, reported as such.
    result = b.batch_delete_objects(["k"])
    assert result.deleted_keys == ["k"]
    listing = b.list_object_versions()
    marker = listing.delete_marker[0].versionid

    versions = BatchDeleteObjectVersionList([BatchDeleteObjectVersion("k", ids[0]), BatchDeleteObjectVersion("k", marker)])
    result = b.delete_object_versions(versions)
    deleted = {d.versionid: d for d in result.delete_versions}
    assert set(deleted) == {ids[0], marker}
    assert deleted[marker].delete_marker and deleted[marker].delete_marker_versionid == marker
    assert not deleted[ids[0]].delete_marker
    # Deleting the same versions again is no error.
    assert len(b.delete_object_versions(versions).delete_versions) == 2
    expect_failure(
        lambda: b.delete_object_versions(BatchDeleteObjectVersionList([BatchDeleteObjectVersion("k", "234")])),
        400, "InvalidArgument")

    c = v2_flavor.client
    created = c.delete_multiple_objects(
        oss.DeleteMultipleObjectsRequest(bucket=fresh_bucket, objects=[oss.DeleteObject(key="k")]))
    (entry,) = created.deleted_objects
    assert entry.key == "k" and entry.delete_marker is True and entry.delete_marker_version_id and entry.version_id is None
    removed = c.delete_multiple_objects(
        oss.DeleteMultipleObjectsRequest(
            bucket=fresh_bucket,
            objects=[oss.DeleteObject(key="k", version_id=v) for v in (ids[1], ids[2], entry.delete_marker_version_id)]))
    assert sorted(d.version_id for d in removed.deleted_objects) == sorted([ids[1], ids[2], entry.delete_marker_version_id])
    assert b.list_object_versions().versions == []


def test_copies_and_part_copies_name_their_source_version(oss2_flavor, v2_flavor, admin, fresh_bucket):
    _enable(admin, fresh_bucket)
    b = oss2_flavor.bucket(fresh_bucket)
    old = b.put_object("src", b"old bytes").versionid
    b.put_object("src", b"new bytes")
    copied = b.copy_object(fresh_bucket, "src", "dst", params={"versionId": old})
    assert copied.versionid and copied.headers.get("x-oss-copy-source-version-id") == old
    assert b.get_object("dst").read() == b"old bytes"

    c = v2_flavor.client
    v2copy = c.copy_object(
        oss.CopyObjectRequest(bucket=fresh_bucket, key="dst2", source_key="src", source_version_id=old))
    assert v2copy.source_version_id == old and v2copy.version_id
    assert c.get_object(oss.GetObjectRequest(bucket=fresh_bucket, key="dst2")).body.read() == b"old bytes"

    upload = b.init_multipart_upload("mp").upload_id
    part = b.upload_part_copy(fresh_bucket, "src", (0, 2), "mp", upload, 1, params={"versionId": old})
    assert part.headers.get("x-oss-copy-source-version-id") == old
    completed = b.complete_multipart_upload("mp", upload, [oss2.models.PartInfo(1, part.etag)])
    assert completed.versionid
    assert b.get_object("mp").read() == b"old"

    # A source whose latest version is a delete marker is a missing source.
    b.delete_object("src")
    expect_failure(lambda: b.copy_object(fresh_bucket, "src", "dst3"), 404, "NoSuchKey")
    assert b.copy_object(fresh_bucket, "src", "dst3", params={"versionId": old}).status == 200


def test_suspended_bucket_writes_the_null_version(oss2_flavor, admin, fresh_bucket):
    b = oss2_flavor.bucket(fresh_bucket)
    assert b.put_object("k", b"before versioning").versionid is None
    _enable(admin, fresh_bucket)
    kept = b.put_object("k", b"kept").versionid
    _enable(admin, fresh_bucket, "Suspended")
    assert b.put_object("k", b"null one").versionid == "null"
    assert b.put_object("k", b"null two").versionid == "null"
    listing = b.list_object_versions()
    assert [v.versionid for v in listing.versions] == ["null", kept]
    assert b.get_object("k", params={"versionId": "null"}).read() == b"null two"
    deleted = b.delete_object("k")
    assert deleted.delete_marker and deleted.versionid == "null"
    listing = b.list_object_versions()
    assert [m.versionid for m in listing.delete_marker] == ["null"]
    assert [v.versionid for v in listing.versions] == [kept]


def test_per_version_tags_acls_symlinks_and_restores(oss2_flavor, v2_flavor, admin, fresh_bucket):
    _enable(admin, fresh_bucket)
    b = oss2_flavor.bucket(fresh_bucket)
    first = b.put_object("k", b"1").versionid
    b.put_object("k", b"2")
    tagging = oss2.models.Tagging(oss2.models.TaggingRule())
    tagging.tag_set.add("v", "first")
    assert b.put_object_tagging("k", tagging, params={"versionId": first}).versionid == first
    assert b.get_object_tagging("k", params={"versionId": first}).tag_set.tagging_rule == {"v": "first"}
    assert b.get_object_tagging("k").tag_set.tagging_rule == {}
    b.put_object_acl("k", oss2.OBJECT_ACL_PUBLIC_READ, params={"versionId": first})
    assert b.get_object_acl("k", params={"versionId": first}).acl == oss2.OBJECT_ACL_PUBLIC_READ
    assert b.get_object_acl("k").acl == oss2.OBJECT_ACL_DEFAULT

    # oss2's own tests delete a link by the version PutSymlink returned.
    link = b.put_symlink("k", "link")
    assert link.versionid
    assert b.get_symlink("link", params={"versionId": link.versionid}).target_key == "k"
    c = v2_flavor.client
    got = c.get_symlink(oss.GetSymlinkRequest(bucket=fresh_bucket, key="link"))
    assert got.version_id == link.versionid
    b.delete_object("link", params={"versionId": link.versionid})
    assert [v.key for v in b.list_object_versions().versions] == ["k", "k"]

    archived = b.put_object("cold", b"frozen", headers={"x-oss-storage-class": "Archive"}).versionid
    b.put_object("cold", b"warm")
    restored = b.restore_object("cold", params={"versionId": archived})
    assert restored.status == 202 and restored.versionid == archived


def test_forbid_overwrite_does_not_apply_with_versioning(oss2_flavor, admin, fresh_bucket):
    _enable(admin, fresh_bucket)
    b = oss2_flavor.bucket(fresh_bucket)
    b.put_object("k", b"1")
    second = b.put_object("k", b"2", headers={"x-oss-forbid-overwrite": "true"})
    assert second.versionid and b.get_object("k").read() == b"2"
    assert len(b.list_object_versions().versions) == 2


def test_a_bucket_with_versions_left_is_not_empty(oss2_flavor, admin):
    name = random_name("ct")
    admin.create_bucket(name)
    _enable(admin, name)
    b = oss2_flavor.bucket(name)
    version = b.put_object("k", b"x").versionid
    marker = b.delete_object("k").versionid
    expect_failure(lambda: b.delete_bucket(), 409, "BucketNotEmpty")
    b.delete_object("k", params={"versionId": version})
    expect_failure(lambda: b.delete_bucket(), 409, "BucketNotEmpty")
    b.delete_object("k", params={"versionId": marker})
    b.delete_bucket()


def test_appends_in_a_versioned_bucket(v2_flavor, admin, fresh_bucket):
    _enable(admin, fresh_bucket)
    c = v2_flavor.client
    created = c.append_object(oss.AppendObjectRequest(bucket=fresh_bucket, key="log", position=0, body=b"abc"))
    assert created.version_id and created.version_id != "null"
    grown = c.append_object(oss.AppendObjectRequest(bucket=fresh_bucket, key="log", position=3, body=b"def"))
    assert grown.version_id == created.version_id and grown.next_position == 6
    c.delete_object(oss.DeleteObjectRequest(bucket=fresh_bucket, key="log"))
    again = c.append_object(oss.AppendObjectRequest(bucket=fresh_bucket, key="log", position=0, body=b"x"))
    assert again.version_id not in (None, created.version_id)
    old = c.get_object(oss.GetObjectRequest(bucket=fresh_bucket, key="log", version_id=created.version_id))
    assert old.body.read() == b"abcdef"
