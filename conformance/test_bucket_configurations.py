"""Referer (hotlink protection), website and logging configurations with oss2 and
alibabacloud-oss-v2. Referers are enforced on what OSS checks: anonymous requests and presigned
URLs; index and error documents are served to anonymous readers; access logs are written into
the target bucket.
"""

from __future__ import annotations

import alibabacloud_oss_v2 as oss
import oss2
import requests
from oss2.models import BucketLogging, BucketReferer, BucketWebsite

from oss_conformance import expect_failure, random_name


def test_referers_with_both_sdks_and_their_enforcement(oss2_flavor, v2_flavor, fresh_bucket, endpoint):
    b = oss2_flavor.bucket(fresh_bucket)
    default = b.get_bucket_referer()
    assert default.allow_empty_referer is True and default.referers == []
    b.put_object("pic.png", b"picture")
    b.put_object_acl("pic.png", oss2.OBJECT_ACL_PUBLIC_READ)
    b.put_bucket_referer(BucketReferer(False, ["https://*.example.com", "example.org"], True, ["https://bad.example.com"]))
    got = b.get_bucket_referer()
    assert got.allow_empty_referer is False and got.referers == ["https://*.example.com", "example.org"]
    assert got.allow_truncate_query_string is True and got.black_referers == ["https://bad.example.com"]

    url = f"{endpoint}/{fresh_bucket}/pic.png"
    assert requests.get(url, headers={"Referer": "https://www.example.com/page"}).content == b"picture"
    assert requests.get(url, headers={"Referer": "http://example.org/x"}).status_code == 200
    for referer in ("https://thief.test/", "https://bad.example.com/", None):
        headers = {"Referer": referer} if referer else {}
        answer = requests.get(url, headers=headers)
        assert answer.status_code == 403 and "<Code>AccessDenied</Code>" in answer.text, referer
    signed = b.sign_url("GET", "pic.png", 300)
    assert requests.get(signed, headers={"Referer": "https://thief.test/"}).status_code == 403
    assert requests.get(signed, headers={"Referer": "https://img.example.com/"}).status_code == 200
    # Requests signed in their headers are the owner's and never checked.
    assert b.get_object("pic.png", headers={"Referer": "https://thief.test/"}).read() == b"picture"

    c = v2_flavor.client
    v2 = c.get_bucket_referer(oss.GetBucketRefererRequest(bucket=fresh_bucket)).referer_configuration
    assert v2.allow_empty_referer is False and v2.referer_list.referers == ["https://*.example.com", "example.org"]
    c.put_bucket_referer(oss.PutBucketRefererRequest(
        bucket=fresh_bucket, referer_configuration=oss.RefererConfiguration(
            allow_empty_referer=True, allow_truncate_query_string=False, truncate_path=True,
            referer_list=oss.RefererList(referers=[]), referer_blacklist=oss.RefererBlacklist(referers=[]))))
    v2 = c.get_bucket_referer(oss.GetBucketRefererRequest(bucket=fresh_bucket)).referer_configuration
    assert v2.allow_empty_referer is True and v2.allow_truncate_query_string is False and v2.truncate_path is True
    assert requests.get(url, headers={"Referer": "https://thief.test/"}).status_code == 200


def test_website_configuration_with_both_sdks(oss2_flavor, v2_flavor, fresh_bucket, endpoint):
    b = oss2_flavor.bucket(fresh_bucket)
    expect_failure(lambda: b.get_bucket_website(), 404, "NoSuchWebsiteConfiguration")
    b.put_bucket_website(BucketWebsite("index.html", "error.html"))
    got = b.get_bucket_website()
    assert got.index_file == "index.html" and got.error_file == "error.html"
    # Served to anonymous readers of a public bucket, as a browser reads it.
    b.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
    b.put_object("index.html", b"<h1>home</h1>")
    b.put_object("error.html", b"<h1>lost</h1>")
    home = requests.get(f"{endpoint}/{fresh_bucket}/")
    assert home.status_code == 200 and home.content == b"<h1>home</h1>"
    lost = requests.get(f"{endpoint}/{fresh_bucket}/nowhere")
    assert lost.status_code == 404 and lost.content == b"<h1>lost</h1>"
    c = v2_flavor.client
    v2 = c.get_bucket_website(oss.GetBucketWebsiteRequest(bucket=fresh_bucket)).website_configuration
    assert v2.index_document.suffix == "index.html" and v2.error_document.key == "error.html"
    assert c.delete_bucket_website(oss.DeleteBucketWebsiteRequest(bucket=fresh_bucket)).status_code == 204
    expect_failure(lambda: b.get_bucket_website(), 404, "NoSuchWebsiteConfiguration")


def test_logging_configuration_with_both_sdks(oss2_flavor, v2_flavor, fresh_bucket, admin):
    b = oss2_flavor.bucket(fresh_bucket)
    off = b.get_bucket_logging()
    assert not off.target_bucket  # oss2 reads a missing LoggingEnabled as an empty target
    expect_failure(lambda: b.put_bucket_logging(BucketLogging(random_name("nowhere"), "log/")), 400,
                   "InvalidTargetBucketForLogging")
    b.put_bucket_logging(BucketLogging(fresh_bucket, "log/"))
    got = b.get_bucket_logging()
    assert got.target_bucket == fresh_bucket and got.target_prefix == "log/"
    c = v2_flavor.client
    status = c.get_bucket_logging(oss.GetBucketLoggingRequest(bucket=fresh_bucket)).bucket_logging_status
    assert status.logging_enabled.target_bucket == fresh_bucket and status.logging_enabled.target_prefix == "log/"
    assert c.delete_bucket_logging(oss.DeleteBucketLoggingRequest(bucket=fresh_bucket)).status_code == 204
    assert not b.get_bucket_logging().target_bucket


def test_access_logs_arrive_in_the_target_bucket(oss2_flavor, admin, fresh_bucket):
    import time

    target = random_name("logs")
    admin.bucket(target).create_bucket()
    try:
        source = oss2_flavor.bucket(fresh_bucket)
        source.put_bucket_logging(BucketLogging(target, "access/"))
        source.put_object("logged.txt", b"x")
        request_id = source.get_object("logged.txt").request_id
        logs = admin.bucket(target)
        deadline, text = time.time() + 10, ""
        while time.time() < deadline and request_id not in text:
            time.sleep(0.2)
            text = "".join(logs.get_object(o.key).read().decode() for o in oss2.ObjectIterator(logs, prefix="access/"))
        line = next(line for line in text.splitlines() if request_id in line)
        assert f'"GET /{fresh_bucket}/logged.txt HTTP/1.1" 200 1 ' in line or '"GET /logged.txt HTTP/1.1" 200 1 ' in line, line
        assert '"GetObject"' in line and f'"{fresh_bucket}"' in line and '"logged.txt"' in line
        keys = [o.key for o in oss2.ObjectIterator(logs, prefix="access/")]
        assert all(key.startswith("access/" + fresh_bucket) for key in keys), keys
        source.delete_bucket_logging()
    finally:
        logs = admin.bucket(target)
        # Lines still waiting are written once more after logging was turned off: wait them out.
        time.sleep(1)
        for o in oss2.ObjectIterator(logs):
            logs.delete_object(o.key)
        logs.delete_bucket()


def test_qos_limits_with_oss2(oss2_flavor, fresh_bucket):
    """PutBucketQoSInfo/GetBucketQosInfo/DeleteBucketQoSInfo as oss2's own tests use them:
    limits stored and reported (this server shapes no traffic), -1 for every limit never set."""
    from oss2.models import BucketQosInfo

    b = oss2_flavor.bucket(fresh_bucket)
    unset = b.get_bucket_qos_info()
    assert unset.total_qps == -1 and unset.extranet_download_bw == -1
    b.put_bucket_qos_info(BucketQosInfo(total_upload_bw=-1, intranet_upload_bw=2, extranet_upload_bw=2, total_qps=500))
    got = b.get_bucket_qos_info()
    assert (got.total_upload_bw, got.intranet_upload_bw, got.extranet_upload_bw) == (-1, 2, 2)
    assert (got.total_qps, got.intranet_qps, got.total_download_bw) == (500, -1, -1)
    # A part above its total is refused, as OSS refuses it.
    expect_failure(lambda: b.put_bucket_qos_info(BucketQosInfo(total_qps=10, intranet_qps=20)), 400, "InvalidArgument")
    assert b.delete_bucket_qos_info().status == 204
    emptied = b.get_bucket_qos_info()
    assert emptied.total_qps == -1 and emptied.intranet_upload_bw == -1
    b.put_bucket_qos_info(BucketQosInfo())
    assert b.get_bucket_qos_info().total_upload_bw == -1


def test_storage_capacity_with_oss2(oss2_flavor, fresh_bucket):
    """`?qos`, which the C SDK's storage-capacity calls send: stored and reported."""
    from oss2.models import BucketUserQos

    b = oss2_flavor.bucket(fresh_bucket)
    assert b.get_bucket_storage_capacity().storage_capacity == -1
    b.set_bucket_storage_capacity(BucketUserQos(100))
    assert b.get_bucket_storage_capacity().storage_capacity == 100
    b.set_bucket_storage_capacity(BucketUserQos(-1))
    assert b.get_bucket_storage_capacity().storage_capacity == -1
