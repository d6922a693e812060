"""CORS: both SDKs set, read and delete a bucket's rules (PutBucketCors, GetBucketCors,
DeleteBucketCors); preflights are answered as a browser needs them, through v2's `option_object`
and through a plain unsigned `requests.options`, and actual requests carry the
`Access-Control-*` headers of the matching rule."""

import alibabacloud_oss_v2 as oss
import oss2
import pytest
import requests
from oss2.models import BucketCors, CorsRule

from oss_conformance import expect_failure, random_bytes, random_name

ORIGIN = "https://app.example.com"


@pytest.fixture
def cors_bucket(admin):
    name = random_name("cors")
    admin.bucket(name).create_bucket()
    yield name
    admin.bucket(name).delete_bucket()


def set_rules(sdk, flavor, bucket):
    if sdk == "oss2":
        rule = CorsRule(allowed_origins=[ORIGIN], allowed_methods=["GET", "PUT"], allowed_headers=["x-oss-meta-*"],
                        expose_headers=["ETag", "x-oss-hash-crc64ecma"], max_age_seconds=120)
        flavor.bucket(bucket).put_bucket_cors(BucketCors([rule]))
    else:
        rule = oss.CORSRule(allowed_origins=[ORIGIN], allowed_methods=["GET", "PUT"], allowed_headers=["x-oss-meta-*"],
                            expose_headers=["ETag", "x-oss-hash-crc64ecma"], max_age_seconds=120)
        flavor.client.put_bucket_cors(oss.PutBucketCorsRequest(
            bucket=bucket, cors_configuration=oss.CORSConfiguration(cors_rules=[rule], response_vary=False)))


def read_rules(sdk, flavor, bucket):
    if sdk == "oss2":
        rules = flavor.bucket(bucket).get_bucket_cors().rules
        return [(r.allowed_origins, r.allowed_methods, r.allowed_headers, r.expose_headers, r.max_age_seconds) for r in rules]
    result = flavor.client.get_bucket_cors(oss.GetBucketCorsRequest(bucket=bucket))
    return [(r.allowed_origins, r.allowed_methods, r.allowed_headers, r.expose_headers, r.max_age_seconds)
            for r in result.cors_configuration.cors_rules]


def delete_rules(sdk, flavor, bucket):
    if sdk == "oss2":
        flavor.bucket(bucket).delete_bucket_cors()
    else:
        flavor.client.delete_bucket_cors(oss.DeleteBucketCorsRequest(bucket=bucket))


@pytest.mark.parametrize("sdk", ["oss2", "v2"])
def test_cors_rules_round_trip_and_answer_browsers(sdk, oss2_flavor, v2_flavor, cors_bucket, endpoint):
    flavor = oss2_flavor if sdk == "oss2" else v2_flavor
    set_rules(sdk, flavor, cors_bucket)
    assert read_rules(sdk, flavor, cors_bucket) == [
        ([ORIGIN], ["GET", "PUT"], ["x-oss-meta-*"], ["ETag", "x-oss-hash-crc64ecma"], 120)]

    url = f"{endpoint}/{cors_bucket}/photo.jpg"
    preflight = requests.options(url, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "x-oss-meta-owner"},
        timeout=30)
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Max-Age"] == "120"
    denied = requests.options(url, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"},
                              timeout=30)
    assert denied.status_code == 403
    assert "Access-Control-Allow-Origin" not in denied.headers

    if sdk == "v2":
        answer = flavor.client.option_object(oss.OptionObjectRequest(
            bucket=cors_bucket, key="photo.jpg", origin=ORIGIN, access_control_request_method="GET"))
        assert answer.access_control_allow_origin == ORIGIN
        expect_failure(lambda: flavor.client.option_object(oss.OptionObjectRequest(
            bucket=cors_bucket, key="photo.jpg", origin=ORIGIN, access_control_request_method="DELETE")),
            403, "AccessForbidden")

    # An actual request from the allowed origin: the page may read the CRC header.
    data = random_bytes(1000)
    put = oss2_flavor.bucket(cors_bucket).put_object("photo.jpg", data, headers={"Origin": ORIGIN})
    assert put.headers.get("Access-Control-Allow-Origin") == ORIGIN
    assert "x-oss-hash-crc64ecma" in put.headers.get("Access-Control-Expose-Headers", "")

    delete_rules(sdk, flavor, cors_bucket)
    if sdk == "oss2":
        with pytest.raises(oss2.exceptions.NoSuchCors):
            flavor.bucket(cors_bucket).get_bucket_cors()
    else:
        expect_failure(lambda: flavor.client.get_bucket_cors(oss.GetBucketCorsRequest(bucket=cors_bucket)), 404,
                       "NoSuchCORSConfiguration")
    assert requests.options(url, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
                            timeout=30).status_code == 403
    oss2_flavor.bucket(cors_bucket).delete_object("photo.jpg")
