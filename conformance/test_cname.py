"""CNAME: `oss serve --cname files.example.test=BUCKET` binds a domain to a bucket as OSS does for
custom domains. Both SDKs in CNAME mode (oss2 `Bucket(..., is_cname=True)`, v2 `use_cname`) send
`http://files.example.test/<key>` with no bucket in host or path, and still sign `/<bucket>/<key>`.

`.test` names never resolve, so the SDKs reach the server as their HTTP proxy: the request then
arrives in absolute form with `Host: files.example.test`, exactly what a DNS-bound domain sends."""

import alibabacloud_oss_v2 as oss
import oss2
import pytest

from oss_conformance import REGION, assert_crc_header, crc64, random_bytes, start_server

BUCKET = "cname-bucket"
DOMAIN = "files.example.test"


@pytest.fixture(scope="module")
def cname_server(server_binary, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cname")
    process = start_server(server_binary, folder / "data", [BUCKET], extra_args=["--cname", f"{DOMAIN}={BUCKET}"])
    yield process
    process.stop()


@pytest.mark.parametrize("sdk,version", [("oss2", "v1"), ("oss2", "v4"), ("v2", "v1"), ("v2", "v4")])
def test_sdks_in_cname_mode(cname_server, sdk, version):
    domain = f"http://{DOMAIN}"
    proxy = cname_server.endpoint
    creds = cname_server.credentials
    key = f"cname/{sdk}-{version}/a b.bin"
    data = random_bytes(120_000)
    if sdk == "oss2":
        auth = oss2.AuthV4(creds.access_key_id, creds.access_key_secret) if version == "v4" \
            else oss2.Auth(creds.access_key_id, creds.access_key_secret)
        bucket = oss2.Bucket(
            auth, domain, BUCKET, is_cname=True, region=REGION, connect_timeout=30, proxies={"http": proxy})
        assert_crc_header(bucket.put_object(key, data).headers.get("x-oss-hash-crc64ecma"), crc64(data))
        assert bucket.get_object(key).read() == data
        assert [o.key for o in oss2.ObjectIterator(bucket, prefix=f"cname/{sdk}-{version}/")] == [key]
    else:
        cfg = oss.config.load_default()
        cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(creds.access_key_id, creds.access_key_secret)
        cfg.region, cfg.endpoint, cfg.use_cname, cfg.signature_version = REGION, domain, True, version
        cfg.proxy_host = {"http": proxy}  # a str becomes {"http://": …}, a key requests never matches
        client = oss.Client(cfg)
        put = client.put_object(oss.PutObjectRequest(bucket=BUCKET, key=key, body=data))
        assert_crc_header(put.hash_crc64, crc64(data))
        assert client.get_object(oss.GetObjectRequest(bucket=BUCKET, key=key)).body.read() == data
        listed = client.list_objects_v2(oss.ListObjectsV2Request(bucket=BUCKET, prefix=f"cname/{sdk}-{version}/"))
        assert [o.key for o in listed.contents] == [key]
    # The same object through the service endpoint, path style.
    admin = oss2.Bucket(oss2.Auth(creds.access_key_id, creds.access_key_secret), cname_server.endpoint, BUCKET)
    assert admin.get_object(key).read() == data
