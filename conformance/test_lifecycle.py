"""Bucket lifecycle rules, driven by oss2 and alibabacloud-oss-v2, and applied by the server.

The session's server counts a lifecycle day as two seconds and applies rules twice a second
(conftest), so rules in days act within a test. What OSS answers and these tests pin:
PutBucketLifecycle 200, GetBucketLifecycle echoing the rules (404 NoSuchLifecycle without any),
DeleteBucketLifecycle 204 also without rules; a rule without Status or action is MalformedXML,
non-positive days and overlapping rules InvalidArgument.
"""

from __future__ import annotations

import datetime
import time

import alibabacloud_oss_v2 as oss
import oss2
from oss2.models import (
    AbortMultipartUpload,
    BucketLifecycle,
    LifecycleExpiration,
    LifecycleRule,
    StorageTransition,
    Tagging,
    TaggingRule,
)

from oss_conformance import expect_failure, random_name


def _wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return condition()


def test_oss2_round_trip_and_errors(oss2_flavor, fresh_bucket):
    b = oss2_flavor.bucket(fresh_bucket)
    expect_failure(lambda: b.get_bucket_lifecycle(), 404, "NoSuchLifecycle")
    tagging = TaggingRule()
    tagging.add("env", "tmp")
    rules = [
        LifecycleRule("logs", "logs/", status=LifecycleRule.ENABLED, expiration=LifecycleExpiration(days=400),
                      storage_transitions=[StorageTransition(days=30, storage_class=oss2.BUCKET_STORAGE_CLASS_IA)]),
        LifecycleRule("uploads", "tmp/", status=LifecycleRule.DISABLED,
                      abort_multipart_upload=AbortMultipartUpload(created_before_date=datetime.date(2030, 1, 1))),
        LifecycleRule("tagged", "中文/", expiration=LifecycleExpiration(created_before_date=datetime.date(2031, 2, 3)),
                      tagging=Tagging(tagging)),
    ]
    assert b.put_bucket_lifecycle(BucketLifecycle(rules)).status == 200
    got = b.get_bucket_lifecycle().rules
    assert [(r.id, r.prefix, r.status) for r in got] == [("logs", "logs/", "Enabled"), ("uploads", "tmp/", "Disabled"),
                                                         ("tagged", "中文/", "Enabled")]
    assert got[0].expiration.days == 400 and got[0].storage_transitions[0].days == 30
    assert got[0].storage_transitions[0].storage_class == "IA"
    assert got[1].abort_multipart_upload.created_before_date == datetime.date(2030, 1, 1)
    assert got[2].expiration.created_before_date == datetime.date(2031, 2, 3)
    assert got[2].tagging.tag_set.tagging_rule == {"env": "tmp"}
    assert got[0].tagging is None

    # A rule without an action, days that are not positive, overlapping rules.
    expect_failure(lambda: b.put_bucket_lifecycle(BucketLifecycle([LifecycleRule("a", "x/")])), 400, "MalformedXML")
    expect_failure(
        lambda: b.put_bucket_lifecycle(BucketLifecycle([LifecycleRule("a", "x/", expiration=LifecycleExpiration(days=0))])),
        400, "InvalidArgument")
    overlapping = BucketLifecycle([
        LifecycleRule("a", "x", expiration=LifecycleExpiration(days=1)),
        LifecycleRule("b", "x/y", expiration=LifecycleExpiration(days=2)),
    ])
    expect_failure(lambda: b.put_bucket_lifecycle(overlapping), 400, "InvalidArgument")
    assert b.put_bucket_lifecycle(overlapping, headers={"x-oss-allow-same-action-overlap": "true"}).status == 200
    assert [r.id for r in b.get_bucket_lifecycle().rules] == ["a", "b"]

    assert b.delete_bucket_lifecycle().status == 204
    assert b.delete_bucket_lifecycle().status == 204
    expect_failure(lambda: b.get_bucket_lifecycle(), 404, "NoSuchLifecycle")
    missing = oss2_flavor.bucket(random_name("gone"))
    expect_failure(lambda: missing.get_bucket_lifecycle(), 404, "NoSuchBucket")


def test_v2_round_trip(v2_flavor, fresh_bucket):
    c = v2_flavor.client
    rule = oss.LifecycleRule(
        prefix="data/", status="Enabled",
        transitions=[oss.LifecycleRuleTransition(
            created_before_date=datetime.datetime(2030, 12, 17, tzinfo=datetime.timezone.utc), storage_class="IA",
            is_access_time=False)],
        expiration=oss.LifecycleRuleExpiration(days=365),
        noncurrent_version_expiration=oss.NoncurrentVersionExpiration(noncurrent_days=10))
    put = c.put_bucket_lifecycle(oss.PutBucketLifecycleRequest(
        bucket=fresh_bucket, lifecycle_configuration=oss.LifecycleConfiguration(rules=[rule])))
    assert put.status_code == 200
    got = c.get_bucket_lifecycle(oss.GetBucketLifecycleRequest(bucket=fresh_bucket)).lifecycle_configuration.rules
    assert len(got) == 1 and got[0].id, "an ID is generated"
    assert got[0].prefix == "data/" and got[0].status == "Enabled" and got[0].expiration.days == 365
    transition = got[0].transitions[0]
    assert transition.storage_class == "IA" and transition.is_access_time is False
    assert transition.created_before_date.date() == datetime.date(2030, 12, 17)
    assert got[0].noncurrent_version_expiration.noncurrent_days == 10
    deleted = c.delete_bucket_lifecycle(oss.DeleteBucketLifecycleRequest(bucket=fresh_bucket))
    assert deleted.status_code == 204
    expect_failure(lambda: c.get_bucket_lifecycle(oss.GetBucketLifecycleRequest(bucket=fresh_bucket)), 404, "NoSuchLifecycle")


def test_rules_expire_objects_and_abort_uploads_on_time(oss2_flavor, v2_flavor, fresh_bucket):
    b = oss2_flavor.bucket(fresh_bucket)
    b.put_object("tmp/a", b"a")
    b.put_object("tmp/tagged", b"t", headers={"x-oss-tagging": "env=tmp"})
    b.put_object("cache/untagged", b"u")
    b.put_object("cache/tagged", b"t", headers={"x-oss-tagging": "env=tmp"})
    b.put_object("keep/c", b"c")
    upload = b.init_multipart_upload("tmp/mp").upload_id
    b.upload_part("tmp/mp", upload, 1, b"part")
    kept_upload = b.init_multipart_upload("keep/mp").upload_id
    tagging = TaggingRule()
    tagging.add("env", "tmp")
    b.put_bucket_lifecycle(BucketLifecycle([
        LifecycleRule("tmp", "tmp/", expiration=LifecycleExpiration(days=1),
                      abort_multipart_upload=AbortMultipartUpload(days=1)),
        LifecycleRule("tagged", "cache/", expiration=LifecycleExpiration(days=1), tagging=Tagging(tagging)),
    ]))

    def keys():
        return sorted(o.key for o in oss2.ObjectIterator(b))

    assert _wait_for(lambda: keys() == ["cache/untagged", "keep/c"]), keys()
    uploads = [u.upload_id for u in oss2.MultipartUploadIterator(b)]
    assert _wait_for(lambda: [u.upload_id for u in oss2.MultipartUploadIterator(b)] == [kept_upload]), uploads
    # What the rules do not name stays, whole.
    assert b.get_object("keep/c").read() == b"c"
    listing = v2_flavor.client.list_objects_v2(oss.ListObjectsV2Request(bucket=fresh_bucket))
    assert [o.key for o in listing.contents] == ["cache/untagged", "keep/c"]


def test_rules_in_a_versioned_bucket(oss2_flavor, fresh_bucket):
    b = oss2_flavor.bucket(fresh_bucket)
    b.put_bucket_versioning(oss2.models.BucketVersioningConfig("Enabled"))
    first = b.put_object("k", b"1").versionid
    second = b.put_object("k", b"2").versionid
    b.put_bucket_lifecycle(BucketLifecycle([
        LifecycleRule("current", "", expiration=LifecycleExpiration(days=1)),
    ]))

    def markers():
        return b.list_object_versions().delete_marker

    # The current version expires behind a delete marker; both versions stay readable by id.
    assert _wait_for(lambda: len(markers()) == 1)
    expect_failure(lambda: b.get_object("k"), 404, "NoSuchKey")
    assert b.get_object("k", params={"versionId": first}).read() == b"1"
    assert b.get_object("k", params={"versionId": second}).read() == b"2"
