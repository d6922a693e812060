"""Authentication as the SDKs see it: a wrong secret gives SignatureDoesNotMatch, an unknown key
InvalidAccessKeyId, and anonymous requests to a private bucket AccessDenied (spec §2.7, §2.8)."""

import pytest

from oss_conformance import Credentials, anonymous_flavor, expect_failure, make_flavor, FLAVORS


@pytest.fixture
def stored_key(admin, bucket, key_prefix):
    key = key_prefix + "private-object"
    admin.bucket(bucket).put_object(key, b"secret content")
    return key


OPERATIONS = {
    "get": lambda f, bucket, key: f.get(bucket, key),
    "put": lambda f, bucket, key: f.put(bucket, key + "-new", b"data"),
    "list": lambda f, bucket, key: f.list_v1(bucket),
    "list-buckets": lambda f, bucket, key: f.list_bucket_names(),
    "init-multipart": lambda f, bucket, key: f.init(bucket, key + "-mp"),
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("flavor_name", FLAVORS)
def test_wrong_secret_is_signature_does_not_match(endpoint, credentials, bucket, stored_key, flavor_name, operation):
    import oss2

    wrong = Credentials(credentials.access_key_id, credentials.access_key_secret[::-1] + "x")
    flavor = make_flavor(flavor_name, endpoint, wrong)
    failure = expect_failure(lambda: OPERATIONS[operation](flavor, bucket, stored_key), 403, "SignatureDoesNotMatch")
    if flavor.sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.SignatureDoesNotMatch


@pytest.mark.parametrize("flavor_name", FLAVORS)
def test_unknown_access_key_id(endpoint, credentials, bucket, stored_key, flavor_name):
    other = Credentials("LTAIunknownKeyId0000", credentials.access_key_secret)
    flavor = make_flavor(flavor_name, endpoint, other)
    expect_failure(lambda: flavor.get(bucket, stored_key), 403, "InvalidAccessKeyId")


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("sdk", ["oss2", "v2"])
def test_anonymous_is_access_denied(endpoint, bucket, stored_key, sdk, operation):
    import oss2

    flavor = anonymous_flavor(sdk, endpoint)
    failure = expect_failure(lambda: OPERATIONS[operation](flavor, bucket, stored_key), 403, "AccessDenied")
    if sdk == "oss2":
        assert type(failure.error) is oss2.exceptions.AccessDenied


@pytest.mark.parametrize("sdk", ["oss2", "v2"])
def test_anonymous_head_is_access_denied_via_x_oss_err(endpoint, bucket, stored_key, sdk):
    flavor = anonymous_flavor(sdk, endpoint)
    expect_failure(lambda: flavor.head(bucket, stored_key), 403, "AccessDenied")


def test_anonymous_write_stores_nothing(endpoint, admin, bucket, key_prefix):
    import oss2

    flavor = anonymous_flavor("oss2", endpoint)
    with pytest.raises(oss2.exceptions.AccessDenied):
        flavor.put(bucket, key_prefix + "anonymous", b"x")
    with pytest.raises(oss2.exceptions.NoSuchKey):
        admin.bucket(bucket).head_object(key_prefix + "anonymous")


def test_signature_error_details(endpoint, credentials, bucket, stored_key):
    """The recommended debugging children of SignatureDoesNotMatch (spec §2.8): StringToSign for V1."""
    import oss2

    wrong = Credentials(credentials.access_key_id, "wrong-secret")
    flavor = make_flavor("oss2-v1", endpoint, wrong)
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch) as info:
        flavor.get(bucket, stored_key)
    details = info.value.details
    assert details.get("StringToSign"), f"no StringToSign in {details}"
    assert "/" + bucket + "/" + stored_key in details["StringToSign"]
