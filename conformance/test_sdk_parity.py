"""Behaviours of OSS that the official SDKs rely on (issue 12), each exercised with the SDKs that
use it: oss2 (V1 and V4 signatures) and alibabacloud_oss_v2."""

import oss2
import alibabacloud_oss_v2 as oss

from oss_conformance import expect_failure, expect_failure_status, random_name


CONTROL_KEYS = ("ctl-\x01start", "ctl-mid\x1fdle", "ctl-esc\x1b[0m", "ctl-bell\x07")


def test_oss2_deletes_keys_with_raw_control_characters(oss2_flavor, bucket, key_prefix):
    b = oss2_flavor.bucket(bucket)
    keys = [key_prefix + k for k in CONTROL_KEYS] + [key_prefix + "plain"]
    for key in keys:
        b.put_object(key, b"x")
    result = b.batch_delete_objects(keys)
    assert sorted(result.deleted_keys) == sorted(keys)
    assert [o.key for o in oss2.ObjectIterator(b, prefix=key_prefix)] == []


def test_v2_deletes_keys_with_raw_control_characters(v2_flavor, bucket, key_prefix):
    client = v2_flavor.client
    keys = [key_prefix + k for k in CONTROL_KEYS]
    for key in keys:
        client.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=b"y"))
    result = client.delete_multiple_objects(oss.DeleteMultipleObjectsRequest(
        bucket=bucket, objects=[oss.DeleteObject(key=k) for k in keys]))
    assert sorted(d.key for d in result.deleted_objects) == sorted(keys)
    listed = client.list_objects_v2(oss.ListObjectsV2Request(bucket=bucket, prefix=key_prefix))
    assert not listed.contents


def _v2_with_secret(endpoint, credentials, secret, signature_version):
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(credentials.access_key_id, secret)
    cfg.region = "cn-hangzhou"
    cfg.endpoint = endpoint
    cfg.use_path_style = True
    cfg.signature_version = signature_version
    return oss.Client(cfg)


def test_v2_existence_checks_see_a_missing_bucket_whatever_the_credentials(endpoint, credentials, bucket):
    """OSS looks the bucket up before judging the signature: a missing bucket is NoSuchBucket
    even for a wrong secret, which is how is_bucket_exist tells absent from forbidden."""
    for version in ("v4", "v1"):
        wrong = _v2_with_secret(endpoint, credentials, "not-the-secret", version)
        assert wrong.is_bucket_exist(random_name("nb")) is False
        assert wrong.is_bucket_exist(bucket) is True
        expect_failure(lambda: wrong.is_object_exist(random_name("nb"), "k"), 404, "NoSuchBucket")
        expect_failure(lambda: wrong.is_object_exist(bucket, "k"), 403, "SignatureDoesNotMatch")


def test_oss2_uploads_of_one_key_list_by_upload_id_across_pages(oss2_flavor, bucket, key_prefix):
    b = oss2_flavor.bucket(bucket)
    key = key_prefix + "many"
    ids = [b.init_multipart_upload(key).upload_id for _ in range(7)]
    other = b.init_multipart_upload(key_prefix + "next").upload_id
    try:
        got = [u.upload_id for u in oss2.MultipartUploadIterator(b, prefix=key_prefix, max_uploads=2)]
        assert got == sorted(ids) + [other]
        got = [u.upload_id for u in oss2.ObjectUploadIterator(b, key, max_uploads=3)]
        assert got == sorted(ids)
        first = b.list_multipart_uploads(prefix=key_prefix, max_uploads=3)
        assert first.is_truncated and first.next_key_marker == key
        assert first.next_upload_id_marker == sorted(ids)[2]
    finally:
        for upload_id in ids:
            b.abort_multipart_upload(key, upload_id)
        b.abort_multipart_upload(key_prefix + "next", other)


def test_v2_uploads_paginator_by_upload_id(v2_flavor, bucket, key_prefix):
    client = v2_flavor.client
    key = key_prefix + "v2many"
    ids = [client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(bucket=bucket, key=key)).upload_id
           for _ in range(5)]
    try:
        pages = list(client.list_multipart_uploads_paginator(limit=2).iter_page(
            oss.ListMultipartUploadsRequest(bucket=bucket, prefix=key_prefix)))
        assert len(pages) == 3
        assert [u.upload_id for page in pages for u in page.uploads] == sorted(ids)
    finally:
        for upload_id in ids:
            client.abort_multipart_upload(oss.AbortMultipartUploadRequest(bucket=bucket, key=key, upload_id=upload_id))


def test_oss2_content_language_is_stored_served_and_copied(oss2_flavor, bucket, key_prefix):
    b = oss2_flavor.bucket(bucket)
    key = key_prefix + "lang"
    b.put_object(key, b"bonjour", headers={"Content-Language": "fr-FR", "Content-Type": "text/plain"})
    assert b.head_object(key).headers.get("Content-Language") == "fr-FR"
    assert b.get_object(key).headers.get("Content-Language") == "fr-FR"
    b.copy_object(bucket, key, key + "-copy")
    assert b.head_object(key + "-copy").headers.get("Content-Language") == "fr-FR"


def test_v2_reads_content_language(admin, v2_flavor, bucket, key_prefix):
    # alibabacloud_oss_v2 has no Content-Language field to send; it reads the header back.
    key = key_prefix + "lang-v2"
    admin.bucket(bucket).put_object(key, b"hallo", headers={"Content-Language": "de"})
    client = v2_flavor.client
    assert client.head_object(oss.HeadObjectRequest(bucket=bucket, key=key)).headers.get("Content-Language") == "de"
    assert client.get_object(oss.GetObjectRequest(bucket=bucket, key=key)).headers.get("Content-Language") == "de"


def test_replace_keeps_content_type_and_client_side_encryption_metadata(oss2_flavor, v2_flavor, bucket, key_prefix):
    b = oss2_flavor.bucket(bucket)
    key = key_prefix + "cse"
    b.put_object(key, b"ciphertext", headers={
        "Content-Type": "image/png",
        "x-oss-meta-client-side-encryption-key": "d3JhcHBlZA==",
        "x-oss-meta-client-side-encryption-start": "aXY=",
        "x-oss-meta-plain": "old",
    })
    # oss2's update_object_meta is a self-copy with REPLACE.
    b.update_object_meta(key, {"x-oss-meta-plain": "new"})
    head = b.head_object(key)
    assert head.content_type == "image/png"
    assert head.headers.get("x-oss-meta-plain") == "new"
    assert head.headers.get("x-oss-meta-client-side-encryption-key") == "d3JhcHBlZA=="
    assert head.headers.get("x-oss-meta-client-side-encryption-start") == "aXY="
    client = v2_flavor.client
    client.copy_object(oss.CopyObjectRequest(
        bucket=bucket, key=key + "-v2", source_bucket=bucket, source_key=key, metadata_directive="REPLACE",
        metadata={"other": "1"}))
    head = client.head_object(oss.HeadObjectRequest(bucket=bucket, key=key + "-v2"))
    assert head.content_type == "image/png"
    assert head.metadata.get("other") == "1" and "plain" not in head.metadata
    assert head.metadata.get("client-side-encryption-key") == "d3JhcHBlZA=="


def test_copy_conditions_that_mean_not_modified_answer_304(oss2_flavor, v2_flavor, bucket, key_prefix):
    """OSS answers a failed copy-source If-None-Match or If-Modified-Since with 304 on CopyObject
    and UploadPartCopy (the SDKs read the status), a failed If-Match or If-Unmodified-Since with 412."""
    import email.utils
    import time
    b = oss2_flavor.bucket(bucket)
    source = key_prefix + "cond-src"
    etag = b.put_object(source, b"x" * 1000).etag
    quoted = '"' + etag.strip('"') + '"'
    future = email.utils.formatdate(time.time() + 3600, usegmt=True)
    for headers in ({"x-oss-copy-source-if-none-match": quoted}, {"x-oss-copy-source-if-modified-since": future}):
        expect_failure_status(lambda: b.copy_object(bucket, source, key_prefix + "cond-dst", headers=headers), 304)
    upload = b.init_multipart_upload(key_prefix + "cond-mp").upload_id
    try:
        expect_failure_status(lambda: b.upload_part_copy(
            bucket, source, (0, 99), key_prefix + "cond-mp", upload, 1,
            headers={"x-oss-copy-source-if-none-match": quoted}), 304)
        expect_failure(lambda: b.upload_part_copy(
            bucket, source, (0, 99), key_prefix + "cond-mp", upload, 1,
            headers={"x-oss-copy-source-if-match": '"00000000000000000000000000000000"'}), 412, "PreconditionFailed")
        client = v2_flavor.client
        expect_failure_status(lambda: client.upload_part_copy(oss.UploadPartCopyRequest(
            bucket=bucket, key=key_prefix + "cond-mp", upload_id=upload, part_number=2, source_key=source,
            if_modified_since=future)), 304)
        expect_failure_status(lambda: client.copy_object(oss.CopyObjectRequest(
            bucket=bucket, key=key_prefix + "cond-dst", source_key=source, if_none_match=quoted)), 304)
        assert b.list_parts(key_prefix + "cond-mp", upload).parts == []
    finally:
        b.abort_multipart_upload(key_prefix + "cond-mp", upload)
    expect_failure(lambda: b.head_object(key_prefix + "cond-dst"), 404, "NoSuchKey")


def test_initiate_multipart_upload_honours_forbid_overwrite(oss2_flavor, v2_flavor, bucket, key_prefix):
    b = oss2_flavor.bucket(bucket)
    key = key_prefix + "taken"
    b.put_object(key, b"keep me")
    expect_failure(lambda: b.init_multipart_upload(key, headers={"x-oss-forbid-overwrite": "true"}),
                   409, "FileAlreadyExists")
    expect_failure(lambda: v2_flavor.client.initiate_multipart_upload(oss.InitiateMultipartUploadRequest(
        bucket=bucket, key=key, forbid_overwrite=True)), 409, "FileAlreadyExists")
    assert [u.key for u in oss2.ObjectUploadIterator(b, key)] == []
    upload = b.init_multipart_upload(key_prefix + "free", headers={"x-oss-forbid-overwrite": "true"}).upload_id
    b.abort_multipart_upload(key_prefix + "free", upload)
    assert b.get_object(key).read() == b"keep me"


def test_max_keys_above_a_thousand_is_invalid_argument(oss2_flavor, v2_flavor, bucket):
    b = oss2_flavor.bucket(bucket)
    expect_failure(lambda: b.list_objects(max_keys=1001), 400, "InvalidArgument")
    expect_failure(lambda: b.list_objects_v2(max_keys=1001), 400, "InvalidArgument")
    expect_failure(lambda: v2_flavor.client.list_objects(oss.ListObjectsRequest(bucket=bucket, max_keys=1001)),
                   400, "InvalidArgument")
    expect_failure(lambda: v2_flavor.client.list_buckets(oss.ListBucketsRequest(max_keys=1001)), 400, "InvalidArgument")
    assert b.list_objects(max_keys=1000).is_truncated in (True, False)


def test_head_of_a_symlink_reports_the_links_own_user_metadata(oss2_flavor, v2_flavor, bucket, key_prefix):
    b = oss2_flavor.bucket(bucket)
    target, link = key_prefix + "sym-target", key_prefix + "sym-link"
    b.put_object(target, b"target bytes", headers={"x-oss-meta-role": "target"})
    b.put_symlink(target, link, headers={"x-oss-meta-role": "link", "x-oss-meta-only-link": "1"})
    head = b.head_object(link)
    assert head.content_length == len(b"target bytes")
    assert head.headers.get("x-oss-meta-role") == "link" and head.headers.get("x-oss-meta-only-link") == "1"
    assert b.get_object(link).headers.get("x-oss-meta-role") == "link"
    v2head = v2_flavor.client.head_object(oss.HeadObjectRequest(bucket=bucket, key=link))
    assert v2head.metadata == {"role": "link", "only-link": "1"}
    assert b.head_object(target).headers.get("x-oss-meta-role") == "target"


def test_get_object_meta_has_no_last_access_time(oss2_flavor, bucket, key_prefix):
    b = oss2_flavor.bucket(bucket)
    b.put_object(key_prefix + "meta", b"m")
    meta = b.get_object_meta(key_prefix + "meta")
    assert "x-oss-last-access-time" not in {k.lower() for k in meta.headers}


def test_error_words_and_codes_the_sdks_compare(oss2_flavor, v2_flavor, bucket, key_prefix, endpoint, credentials):
    b = oss2_flavor.bucket(bucket)
    failure = expect_failure(lambda: b.put_object(key_prefix + "acl", b"x", headers={"x-oss-object-acl": "invalid"}),
                             400, "InvalidArgument")
    assert failure.error.message == "no such object access control exists"
    assert failure.error.ec == "0017-00000104"
    name = random_name("acl")
    failure = expect_failure(lambda: v2_flavor.client.put_bucket(oss.PutBucketRequest(bucket=name, acl="acl")),
                             400, "InvalidArgument")
    assert failure.error.message == "no such bucket access control exists" and failure.error.ec == "0015-00000204"
    failure = expect_failure(lambda: v2_flavor.client.put_bucket(oss.PutBucketRequest(
        bucket=name, create_bucket_configuration=oss.CreateBucketConfiguration(storage_class="Glacier"))),
        400, "InvalidArgument")
    assert failure.error.message == "No such bucket storage class exists." and failure.error.ec == "0013-00000101"
    # A V4 signature scoped to another region.
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        credentials.access_key_id, credentials.access_key_secret)
    cfg.region = "us-west-1"
    cfg.endpoint = endpoint
    cfg.use_path_style = True
    failure = expect_failure(lambda: oss.Client(cfg).get_object(oss.GetObjectRequest(bucket=bucket, key="k")),
                             400, "InvalidArgument")
    assert failure.error.message == "Invalid signing region in Authorization header."
    assert failure.error.ec == "0002-00000226"


def test_block_public_access_with_both_sdks(admin, oss2_flavor, v2_flavor, fresh_bucket, endpoint, key_prefix):
    import requests
    b = oss2_flavor.bucket(fresh_bucket)
    b.put_object("pub", b"public bytes", headers={"x-oss-object-acl": "public-read"})
    url = f"{endpoint}/{fresh_bucket}/pub"
    assert requests.get(url).status_code == 200
    assert b.put_bucket_public_access_block(True).status == 200
    assert b.get_bucket_public_access_block().block_public_access is True
    denied = requests.get(url)
    assert denied.status_code == 403 and b"<Code>AccessDenied</Code>" in denied.content
    assert b.delete_bucket_public_access_block().status == 204
    assert b.get_bucket_public_access_block().block_public_access is False
    assert requests.get(url).status_code == 200
    client = v2_flavor.client
    client.put_bucket_public_access_block(oss.PutBucketPublicAccessBlockRequest(
        bucket=fresh_bucket,
        public_access_block_configuration=oss.PublicAccessBlockConfiguration(block_public_access=True)))
    got = client.get_bucket_public_access_block(oss.GetBucketPublicAccessBlockRequest(bucket=fresh_bucket))
    assert got.public_access_block_configuration.block_public_access is True
    info = client.get_bucket_info(oss.GetBucketInfoRequest(bucket=fresh_bucket))
    assert info.bucket_info.block_public_access is True
    assert requests.get(url).status_code == 403
    # With no argument oss2 turns the block off, as OSS documents.
    assert b.put_bucket_public_access_block().status == 200
    assert b.get_bucket_public_access_block().block_public_access is False


def test_bucket_info_carries_every_field_oss_returns(v2_flavor, admin, key_prefix):
    name = random_name("info")
    client = v2_flavor.client
    client.put_bucket(oss.PutBucketRequest(bucket=name, create_bucket_configuration=oss.CreateBucketConfiguration(
        storage_class="IA", data_redundancy_type="ZRS")))
    try:
        info = client.get_bucket_info(oss.GetBucketInfoRequest(bucket=name)).bucket_info
        assert info.name == name and info.storage_class == "IA"
        assert info.data_redundancy_type == "ZRS"
        assert info.access_monitor == "Disabled"
        assert info.block_public_access is False
        assert info.cross_region_replication == "Disabled" and info.transfer_acceleration == "Disabled"
        assert info.resource_group_id
        assert info.sse_rule.sse_algorithm == "None"
        assert info.versioning is None and info.comment is None
        oss2_info = admin.bucket(name).get_bucket_info()
        assert oss2_info.data_redundancy_type == "ZRS"
        assert oss2_info.bucket_encryption_rule.sse_algorithm is None
    finally:
        client.delete_bucket(oss.DeleteBucketRequest(bucket=name))


def test_list_buckets_omits_paging_elements_when_not_truncated(admin, v2_flavor):
    service = admin.service()
    made = sorted(random_name("lb") for _ in range(2))
    for name in made:
        admin.bucket(name).create_bucket()
    try:
        names = [b.name for b in oss2.BucketIterator(service)]
        assert set(made) <= set(names)
        # The raw body of a whole listing: only Owner and Buckets, as OSS sends it.
        whole = service._do("GET", "", "", params={"max-keys": "1000"}).read().decode()
        for element in ("<Prefix>", "<Marker>", "<MaxKeys>", "<IsTruncated>", "<NextMarker>"):
            assert element not in whole, element
        page = service.list_buckets(max_keys=1)
        assert page.is_truncated and page.next_marker == names[0]
        truncated = service._do("GET", "", "", params={"max-keys": "1"}).read().decode()
        assert "<IsTruncated>true</IsTruncated>" in truncated and "<MaxKeys>1</MaxKeys>" in truncated
        listed = list(v2_flavor.client.list_buckets_paginator(limit=1).iter_page(oss.ListBucketsRequest()))
        assert [b.name for page in listed for b in page.buckets] == names
    finally:
        for name in made:
            admin.bucket(name).delete_bucket()


def test_oss2_signature_v2_headers_and_urls(endpoint, credentials, bucket, key_prefix):
    import requests
    auth = oss2.AuthV2(credentials.access_key_id, credentials.access_key_secret)
    b = oss2.Bucket(auth, endpoint, bucket)
    key = key_prefix + "v2 signed/ü.txt"
    data = b"signed with OSS2 " * 1000
    put = b.put_object(key, data, headers={"Content-Type": "text/plain", "x-oss-meta-sig": "v2"})
    assert put.status == 200
    assert b.get_object(key).read() == data
    # oss2 adds range (and if-modified-since) to AdditionalHeaders.
    assert b.get_object(key, byte_range=(5, 20)).read() == data[5:21]
    assert b.head_object(key).headers["x-oss-meta-sig"] == "v2"
    assert [o.key for o in oss2.ObjectIterator(b, prefix=key_prefix + "v2 signed/")] == [key]
    assert b.get_bucket_info().name == bucket
    upload = b.init_multipart_upload(key + ".mp").upload_id
    part = b.upload_part(key + ".mp", upload, 1, data)
    b.complete_multipart_upload(key + ".mp", upload, [oss2.models.PartInfo(1, part.etag)])
    assert b.get_object(key + ".mp").read() == data
    url = b.sign_url("GET", key, 60, params={"response-content-type": "application/x-v2"})
    assert "x-oss-signature-version=OSS2" in url
    got = requests.get(url)
    assert got.status_code == 200 and got.content == data
    assert got.headers["Content-Type"] == "application/x-v2"
    tampered = requests.get(url.replace("application%2Fx-v2", "application%2Fx-v3"))
    assert tampered.status_code == 403 and b"SignatureDoesNotMatch" in tampered.content
    put_url = b.sign_url("PUT", key_prefix + "v2-url", 60)
    assert requests.put(put_url, data=b"via url").status_code == 200
    assert b.get_object(key_prefix + "v2-url").read() == b"via url"
    wrong = oss2.Bucket(oss2.AuthV2(credentials.access_key_id, "wrong"), endpoint, bucket)
    expect_failure(lambda: wrong.get_object(key), 403, "SignatureDoesNotMatch")


def test_bucket_stat_with_both_sdks(oss2_flavor, v2_flavor, fresh_bucket):
    b = oss2_flavor.bucket(fresh_bucket)
    b.put_object("seven", b"1234567")
    stat = b.get_bucket_stat()
    assert stat.object_count == 1 and stat.storage_size_in_bytes == 7
    assert stat.standard_storage == 7 and stat.standard_object_count == 1
    assert stat.multi_part_upload_count == 0 and stat.live_channel_count == 0
    assert stat.infrequent_access_object_count == 0 and stat.archive_object_count == 0
    assert stat.cold_archive_object_count == 0
    assert stat.last_modified_time is not None
    v2stat = v2_flavor.client.get_bucket_stat(oss.GetBucketStatRequest(bucket=fresh_bucket))
    assert v2stat.storage == 7 and v2stat.object_count == 1 and v2stat.standard_storage == 7
    assert v2stat.deep_cold_archive_object_count == 0 and v2stat.delete_marker_count == 0


def test_seal_append_object_with_v2(v2_flavor, oss2_flavor, bucket, key_prefix):
    client = v2_flavor.client
    key = key_prefix + "sealed.log"
    client.append_object(oss.AppendObjectRequest(bucket=bucket, key=key, position=0, body=b"line 1\n"))
    expect_failure(lambda: client.seal_append_object(oss.SealAppendObjectRequest(bucket=bucket, key=key, position=3)),
                   409, "PositionNotEqualToLength")
    head = client.head_object(oss.HeadObjectRequest(bucket=bucket, key=key))
    assert head.headers.get("x-oss-sealed-time") is None
    sealed = client.seal_append_object(oss.SealAppendObjectRequest(bucket=bucket, key=key, position=7))
    assert sealed.status_code == 200 and sealed.sealed_time
    expect_failure(lambda: client.append_object(oss.AppendObjectRequest(bucket=bucket, key=key, position=7, body=b"x")),
                   409, "AppendSealedObjectNotAllowed")
    again = client.seal_append_object(oss.SealAppendObjectRequest(bucket=bucket, key=key, position=7))
    assert again.sealed_time == sealed.sealed_time
    assert client.head_object(oss.HeadObjectRequest(bucket=bucket, key=key)).sealed_time == sealed.sealed_time
    got = client.get_object(oss.GetObjectRequest(bucket=bucket, key=key))
    assert got.sealed_time == sealed.sealed_time and got.body.read() == b"line 1\n"
    # oss2 has no seal call; it reads the header and is refused the append likewise.
    b = oss2_flavor.bucket(bucket)
    assert b.head_object(key).headers["x-oss-sealed-time"] == sealed.sealed_time
    expect_failure(lambda: b.append_object(key, 7, b"y"), 409, "AppendSealedObjectNotAllowed")
    b.put_object(key_prefix + "normal", b"n")
    expect_failure(lambda: client.seal_append_object(oss.SealAppendObjectRequest(
        bucket=bucket, key=key_prefix + "normal", position=1)), 409, "ObjectNotAppendable")


def _wait_for_restore(state, timeout=15.0):
    """Polls an object's x-oss-restore until the restore is done; returns the final value."""
    import time
    deadline = time.monotonic() + timeout
    while (value := state()) == 'ongoing-request="true"' and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def test_archive_and_restore_with_both_sdks(oss2_flavor, v2_flavor, admin, bucket, key_prefix):
    import time
    name = random_name("arc")
    b = oss2_flavor.bucket(name)
    b.create_bucket(oss2.BUCKET_ACL_PRIVATE, oss2.models.BucketCreateConfig(oss2.BUCKET_STORAGE_CLASS_ARCHIVE))
    try:
        data = b"archived " * 100
        b.put_object("a", data)
        assert b.head_object("a").headers["x-oss-storage-class"] == "Archive"
        expect_failure(lambda: b.get_object("a"), 403, "InvalidObjectState")
        assert b.restore_object("a").status == 202
        assert b.head_object("a").resp.headers["x-oss-restore"] == 'ongoing-request="true"'
        expect_failure(lambda: b.restore_object("a"), 409, "RestoreAlreadyInProgress")
        listed = b.list_objects_v2(prefix="a").object_list
        assert [o.restore_info for o in listed] == ['ongoing-request="true"']
        restore = _wait_for_restore(lambda: b.head_object("a").resp.headers["x-oss-restore"])
        assert restore.startswith('ongoing-request="false", expiry-date="')
        assert b.get_object("a").read() == data
        client = v2_flavor.client
        client.put_object(oss.PutObjectRequest(bucket=name, key="v2", body=data, storage_class="ColdArchive"))
        expect_failure(lambda: client.get_object(oss.GetObjectRequest(bucket=name, key="v2")), 403, "InvalidObjectState")
        result = client.restore_object(oss.RestoreObjectRequest(bucket=name, key="v2", restore_request=oss.RestoreRequest(
            days=2, tier="Expedited")))
        assert result.status_code == 202
        head = client.head_object(oss.HeadObjectRequest(bucket=name, key="v2"))
        assert head.restore == 'ongoing-request="true"'
        _wait_for_restore(lambda: client.head_object(oss.HeadObjectRequest(bucket=name, key="v2")).restore)
        assert client.get_object(oss.GetObjectRequest(bucket=name, key="v2")).body.read() == data
        assert client.restore_object(oss.RestoreObjectRequest(bucket=name, key="v2")).status_code == 200
        for key in ("a", "v2"):
            b.delete_object(key)
    finally:
        admin.bucket(name).delete_bucket()
    # Standard objects have nothing to restore.
    admin.bucket(bucket).put_object(key_prefix + "std", b"s")
    failure = expect_failure(lambda: oss2_flavor.bucket(bucket).restore_object(key_prefix + "std"),
                             400, "OperationNotSupported")
    assert failure.error.message == "The operation is not supported for this resource."


def test_account_block_public_access_with_both_sdks(admin, oss2_flavor, v2_flavor, fresh_bucket, endpoint):
    import requests
    b = oss2_flavor.bucket(fresh_bucket)
    b.put_object("pub", b"public", headers={"x-oss-object-acl": "public-read"})
    url = f"{endpoint}/{fresh_bucket}/pub"
    service = oss2_flavor.service()
    try:
        assert service.put_public_access_block(True).status == 200
        assert service.get_public_access_block().block_public_access is True
        assert requests.get(url).status_code == 403
        got = v2_flavor.client.get_public_access_block(oss.GetPublicAccessBlockRequest())
        assert got.public_access_block_configuration.block_public_access is True
    finally:
        assert service.delete_public_access_block().status == 204
    assert service.get_public_access_block().block_public_access is False
    assert requests.get(url).status_code == 200


def test_creating_a_bucket_one_owns_already_answers_200(oss2_flavor, v2_flavor, fresh_bucket):
    b = oss2_flavor.bucket(fresh_bucket)
    b.put_object("k", b"kept")
    assert b.create_bucket(oss2.BUCKET_ACL_PUBLIC_READ).status == 200
    result = v2_flavor.client.put_bucket(oss.PutBucketRequest(bucket=fresh_bucket))
    assert result.status_code == 200
    # The bucket is left as it was: its ACL and its objects.
    assert b.get_bucket_acl().acl == oss2.BUCKET_ACL_PRIVATE
    assert b.get_object("k").read() == b"kept"
