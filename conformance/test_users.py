"""Several users on one server, as the official SDKs meet them: `oss admin user add` (on the
stopped server's data folder here; beside a running one for the temporary credentials) makes users
B and C beside the owner A. Each user sees and
manages only its own buckets; another user's bucket answers AccessDenied to everything its ACLs
do not grant everyone, and nothing of it changes; disabled and rotated keys are refused."""

import http.client
import json
import subprocess
import time
import urllib.parse

import alibabacloud_oss_v2 as oss
import oss2
import pytest
import requests

from oss_conformance import (
    Credentials, FLAVORS, anonymous_flavor, expect_failure, make_flavor, random_name, start_server,
)

A_BUCKET = "users-a-private"
A_PUBLIC = "users-a-public"
KEY = "private/object.txt"
CONTENT = b"the owner's bytes"


def admin(binary, data, *arguments):
    """Runs `oss admin ... --json` on the data folder and returns its JSON answer."""
    result = subprocess.run(
        [str(binary), "admin", *arguments, "--data", str(data), "--json"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class Users:
    def __init__(self, binary, data, process, bob, carol):
        self.binary, self.data, self.process = binary, data, process
        self.owner = process.credentials
        self.bob, self.bob_id = bob
        self.carol, self.carol_id = carol

    @property
    def endpoint(self):
        return self.process.endpoint

    def oss2_bucket(self, credentials, name):
        return oss2.Bucket(oss2.Auth(credentials.access_key_id, credentials.access_key_secret), self.endpoint, name,
                           connect_timeout=30)


def add_user(binary, data, name):
    answer = admin(binary, data, "user", "add", name)
    key = answer["AccessKey"]
    return Credentials(key["AccessKeyId"], key["AccessKeySecret"]), answer["Id"]


@pytest.fixture(scope="module")
def users(server_binary, tmp_path_factory):
    data = tmp_path_factory.mktemp("users") / "data"
    process = start_server(server_binary, data, [A_BUCKET, A_PUBLIC])
    process.stop()
    bob = add_user(server_binary, data, "bob")
    carol = add_user(server_binary, data, "carol")
    process.start()
    everyone = Users(server_binary, data, process, bob, carol)
    owner = everyone.oss2_bucket(everyone.owner, A_BUCKET)
    owner.put_object(KEY, CONTENT)
    rule = oss2.models.TaggingRule()
    rule.add("k", "v")
    owner.put_object_tagging(KEY, oss2.models.Tagging(rule))
    public = everyone.oss2_bucket(everyone.owner, A_PUBLIC)
    public.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
    public.put_object("logs/today.log", b"log line")
    yield everyone
    process.stop()


def assert_owner_state_unchanged(users):
    owner = users.oss2_bucket(users.owner, A_BUCKET)
    assert owner.get_object(KEY).read() == CONTENT
    assert owner.get_bucket_acl().acl == oss2.BUCKET_ACL_PRIVATE
    assert owner.get_object_acl(KEY).acl == oss2.OBJECT_ACL_DEFAULT
    assert owner.get_object_tagging(KEY).tag_set.tagging_rule == {"k": "v"}
    assert [o.key for o in oss2.ObjectIterator(owner)] == [KEY]
    assert list(oss2.MultipartUploadIterator(owner)) == []
    assert owner.get_bucket_info().owner.id != users.bob_id


# What a stranger tries on the owner's private bucket: every one is AccessDenied.
STRANGER_OPERATIONS = {
    "get": lambda f, own: f.get(A_BUCKET, KEY),
    "head": lambda f, own: f.head(A_BUCKET, KEY),
    "meta": lambda f, own: f.meta(A_BUCKET, KEY),
    "put-overwrite": lambda f, own: f.put(A_BUCKET, KEY, b"overwritten"),
    "put-new": lambda f, own: f.put(A_BUCKET, "planted.txt", b"planted"),
    "append": lambda f, own: f.append(A_BUCKET, "appended.txt", 0, b"x"),
    "delete": lambda f, own: f.delete(A_BUCKET, KEY),
    "delete-many": lambda f, own: f.delete_many(A_BUCKET, [KEY]),
    "list-v1": lambda f, own: f.list_v1(A_BUCKET),
    "list-v2": lambda f, own: f.list_v2(A_BUCKET),
    "list-uploads": lambda f, own: f.list_uploads(A_BUCKET),
    "init-multipart": lambda f, own: f.init(A_BUCKET, "multipart.bin"),
    "copy-out": lambda f, own: f.copy(own, "stolen.txt", A_BUCKET, KEY),
    "copy-in-place": lambda f, own: f.copy(A_BUCKET, KEY, A_BUCKET, KEY, headers={"x-oss-metadata-directive": "REPLACE"}),
    "bucket-info": lambda f, own: f.bucket_info(A_BUCKET),
    "bucket-location": lambda f, own: f.bucket_location(A_BUCKET),
    "get-bucket-acl": lambda f, own: f.get_bucket_acl(A_BUCKET),
    "put-bucket-acl": lambda f, own: f.put_bucket_acl(A_BUCKET, "public-read-write"),
    "get-object-acl": lambda f, own: f.get_object_acl(A_BUCKET, KEY),
    "put-object-acl": lambda f, own: f.put_object_acl(A_BUCKET, KEY, "public-read"),
    "get-tagging": lambda f, own: f.get_tagging(A_BUCKET, KEY),
    "put-tagging": lambda f, own: f.put_tagging(A_BUCKET, KEY, {"k": "stranger"}),
    "delete-tagging": lambda f, own: f.delete_tagging(A_BUCKET, KEY),
    "put-symlink": lambda f, own: f.put_symlink(A_BUCKET, "link", KEY),
    "delete-bucket": lambda f, own: f.delete_bucket(A_BUCKET),
}


@pytest.fixture(scope="module")
def stranger_buckets(users):
    """A bucket of bob's per flavor, for copies out of the owner's bucket."""
    names = {}
    for flavor in FLAVORS:
        name = random_name("bob")
        make_flavor(flavor, users.endpoint, users.bob).create_bucket(name)
        names[flavor] = name
    return names


@pytest.mark.parametrize("operation", sorted(STRANGER_OPERATIONS))
@pytest.mark.parametrize("flavor_name", FLAVORS)
def test_a_stranger_is_denied_everything_and_changes_nothing(users, stranger_buckets, flavor_name, operation):
    flavor = make_flavor(flavor_name, users.endpoint, users.bob)
    expect_failure(lambda: STRANGER_OPERATIONS[operation](flavor, stranger_buckets[flavor_name]), 403, "AccessDenied")
    assert_owner_state_unchanged(users)


@pytest.mark.parametrize("flavor_name", FLAVORS)
def test_each_user_sees_only_its_own_buckets(users, flavor_name):
    name = random_name("carol")
    carol = make_flavor(flavor_name, users.endpoint, users.carol)
    carol.create_bucket(name)
    assert name in carol.list_bucket_names()
    assert not set(carol.list_bucket_names()) & {A_BUCKET, A_PUBLIC}
    owner = make_flavor(flavor_name, users.endpoint, users.owner)
    assert name not in owner.list_bucket_names()
    assert {A_BUCKET, A_PUBLIC} <= set(owner.list_bucket_names())
    assert users.oss2_bucket(users.carol, name).get_bucket_info().owner.id == users.carol_id
    # Bob, another stranger, gets nothing of carol's either.
    bob = make_flavor(flavor_name, users.endpoint, users.bob)
    expect_failure(lambda: bob.list_v1(name), 403, "AccessDenied")
    carol.delete_bucket(name)


@pytest.mark.parametrize("flavor_name", FLAVORS)
def test_bucket_names_belong_to_their_owner(users, flavor_name):
    bob = make_flavor(flavor_name, users.endpoint, users.bob)
    expect_failure(lambda: bob.create_bucket(A_BUCKET), 409, "BucketAlreadyExists")
    expect_failure(lambda: bob.list_v1(random_name("nobody")), 404, "NoSuchBucket")
    # The owner asking again is 200, as OSS answers it.
    make_flavor(flavor_name, users.endpoint, users.owner).create_bucket(A_BUCKET)
    assert_owner_state_unchanged(users)


@pytest.mark.parametrize("flavor_name", FLAVORS)
def test_a_public_read_bucket_grants_strangers_reads_only(users, flavor_name):
    carol = make_flavor(flavor_name, users.endpoint, users.carol)
    assert carol.get(A_PUBLIC, "logs/today.log").body == b"log line"
    assert "logs/today.log" in carol.list_v1(A_PUBLIC).keys
    expect_failure(lambda: carol.put(A_PUBLIC, "logs/forged.log", b"forged"), 403, "AccessDenied")
    expect_failure(lambda: carol.delete(A_PUBLIC, "logs/today.log"), 403, "AccessDenied")
    expect_failure(lambda: carol.get_bucket_acl(A_PUBLIC), 403, "AccessDenied")
    # A URL carol presigns reads what carol may read, no more.
    url, _ = carol.presign(A_PUBLIC, "GET", "logs/today.log")
    assert requests.get(url, timeout=30).content == b"log line"
    url, _ = carol.presign(A_BUCKET, "GET", KEY)
    assert requests.get(url, timeout=30).status_code == 403


# ---------------------------------------------------------------------------------------------
# Bucket policies


def policy_document(*statements):
    return json.dumps({"Version": "1", "Statement": list(statements)})


def allow(actions, principal, resource, **condition):
    statement = {"Effect": "Allow", "Action": actions, "Principal": [principal], "Resource": [f"acs:oss:*:*:{resource}"]}
    if condition:
        statement["Condition"] = condition
    return statement


def put_policy(flavor_name, endpoint, credentials, bucket, text):
    """PutBucketPolicy through the SDK under test."""
    if flavor_name.startswith("oss2"):
        auth = oss2.AuthV4 if flavor_name.endswith("v4") else oss2.Auth
        oss2.Bucket(auth(credentials.access_key_id, credentials.access_key_secret), endpoint, bucket,
                    region="cn-hangzhou").put_bucket_policy(text)
    else:
        make_flavor(flavor_name, endpoint, credentials).client.put_bucket_policy(
            oss.PutBucketPolicyRequest(bucket=bucket, body=text))


def get_policy(flavor_name, endpoint, credentials, bucket):
    if flavor_name.startswith("oss2"):
        return users_bucket(endpoint, credentials, bucket).get_bucket_policy().policy
    result = make_flavor(flavor_name, endpoint, credentials).client.get_bucket_policy(oss.GetBucketPolicyRequest(bucket=bucket))
    return result.body


def users_bucket(endpoint, credentials, name):
    return oss2.Bucket(oss2.Auth(credentials.access_key_id, credentials.access_key_secret), endpoint, name, connect_timeout=30)


@pytest.fixture
def policy_bucket(users):
    name = random_name("policy")
    owner = users_bucket(users.endpoint, users.owner, name)
    owner.create_bucket()
    for key, data in (("logs/a.log", b"log a"), ("logs/b.log", b"log b"), ("secret/s.txt", b"secret"), ("other.txt", b"o")):
        owner.put_object(key, data)
    yield name
    for key in [o.key for o in oss2.ObjectIterator(owner)]:
        owner.delete_object(key)
    owner.delete_bucket()


@pytest.mark.parametrize("flavor_name", FLAVORS)
def test_a_policy_grants_one_user_reads_of_one_prefix(users, policy_bucket, flavor_name):
    text = policy_document(
        allow(["oss:GetObject"], users.bob_id, f"{policy_bucket}/logs/*"),
        allow(["oss:ListObjects"], users.bob_id, policy_bucket, StringLike={"oss:Prefix": ["logs/*"]}))
    put_policy(flavor_name, users.endpoint, users.owner, policy_bucket, text)
    assert json.loads(get_policy(flavor_name, users.endpoint, users.owner, policy_bucket)) == json.loads(text)

    bob = make_flavor(flavor_name, users.endpoint, users.bob)
    assert bob.get(policy_bucket, "logs/a.log").body == b"log a"
    assert bob.list_v1(policy_bucket, prefix="logs/").keys == ["logs/a.log", "logs/b.log"]
    expect_failure(lambda: bob.list_v1(policy_bucket), 403, "AccessDenied")
    expect_failure(lambda: bob.get(policy_bucket, "secret/s.txt"), 403, "AccessDenied")
    expect_failure(lambda: bob.get(policy_bucket, "other.txt"), 403, "AccessDenied")
    expect_failure(lambda: bob.put(policy_bucket, "logs/forged.log", b"forged"), 403, "AccessDenied")
    expect_failure(lambda: bob.delete(policy_bucket, "logs/a.log"), 403, "AccessDenied")
    carol = make_flavor(flavor_name, users.endpoint, users.carol)
    expect_failure(lambda: carol.get(policy_bucket, "logs/a.log"), 403, "AccessDenied")
    # The owner's policy is the owner's: bob can neither read nor replace it.
    expect_failure(lambda: get_policy(flavor_name, users.endpoint, users.bob, policy_bucket), 403, "AccessDenied")

    users_bucket(users.endpoint, users.owner, policy_bucket).delete_bucket_policy()
    expect_failure(lambda: bob.get(policy_bucket, "logs/a.log"), 403, "AccessDenied")
    expect_failure(lambda: get_policy(flavor_name, users.endpoint, users.owner, policy_bucket), 404, "NoSuchBucketPolicy")
    assert users_bucket(users.endpoint, users.owner, policy_bucket).get_object("logs/a.log").read() == b"log a"


@pytest.mark.parametrize("sdk", ["oss2", "v2"])
def test_deny_overrides_an_allow_and_a_public_read_acl(users, policy_bucket, sdk):
    owner = users_bucket(users.endpoint, users.owner, policy_bucket)
    owner.put_bucket_acl(oss2.BUCKET_ACL_PUBLIC_READ)
    owner.put_bucket_policy(policy_document(
        allow(["oss:*"], users.bob_id, f"{policy_bucket}/*"),
        {"Effect": "Deny", "Action": ["oss:GetObject"], "Principal": ["*"],
         "Resource": [f"acs:oss:*:*:{policy_bucket}/secret/*"]}))
    flavor = "oss2-v1" if sdk == "oss2" else "v2-v4"
    for reader in (make_flavor(flavor, users.endpoint, users.bob), anonymous_flavor(sdk, users.endpoint)):
        expect_failure(lambda: reader.get(policy_bucket, "secret/s.txt"), 403, "AccessDenied")
        assert reader.get(policy_bucket, "other.txt").body == b"o"
    # Bob's Allow on everything still writes, but only where nothing denies.
    make_flavor(flavor, users.endpoint, users.bob).put(policy_bucket, "logs/by-bob.log", b"bob")
    assert owner.get_object("secret/s.txt").read() == b"secret", "the owner is never locked out"


def test_malformed_policies_are_refused_by_name(users, policy_bucket):
    owner = users_bucket(users.endpoint, users.owner, policy_bucket)
    for text, fragment in (
        ("{not json", "not a JSON object"),
        (policy_document(allow(["oss:GetObjekt"], "*", f"{policy_bucket}/*")), "oss:GetObjekt"),
        (policy_document(allow(["oss:GetObject"], "*", "someone-elses-bucket/*")), "is not in bucket"),
    ):
        failure = expect_failure(lambda: owner.put_bucket_policy(text), 400, "InvalidPolicyDocument")
        assert fragment in failure.error.message
    expect_failure(lambda: owner.get_bucket_policy(), 404, "NoSuchBucketPolicy")


def test_a_source_address_condition_tells_loopback_addresses_apart(users, policy_bucket):
    """127.0.0.2 is a loopback address of its own: a client bound to it is another source."""
    owner = users_bucket(users.endpoint, users.owner, policy_bucket)
    owner.put_bucket_policy(policy_document(
        allow(["oss:GetObject"], users.bob_id, f"{policy_bucket}/*", IpAddress={"acs:SourceIp": ["127.0.0.2/32"]})))
    url = users_bucket(users.endpoint, users.bob, policy_bucket).sign_url("GET", "other.txt", 600)
    parsed = urllib.parse.urlsplit(url)

    def fetch(source):
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30, source_address=(source, 0))
        connection.request("GET", parsed.path + "?" + parsed.query)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    assert fetch("127.0.0.1")[0] == 403
    assert fetch("127.0.0.2") == (200, b"o")


# ---------------------------------------------------------------------------------------------
# Temporary credentials issued by the server


def sts_client(sdk, endpoint, credentials, bucket):
    """An SDK client on STS credentials, as applications running on STS use them."""
    if sdk == "oss2":
        auth = oss2.StsAuth(credentials["AccessKeyId"], credentials["AccessKeySecret"], credentials["SecurityToken"])
        return oss2.Bucket(auth, endpoint, bucket, connect_timeout=30)
    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        credentials["AccessKeyId"], credentials["AccessKeySecret"], security_token=credentials["SecurityToken"])
    cfg.region, cfg.endpoint, cfg.use_path_style, cfg.retry_max_attempts = "cn-hangzhou", endpoint, True, 1
    return oss.Client(cfg)


def sts_get(sdk, client, bucket, key):
    if sdk == "oss2":
        return client.get_object(key).read()
    return client.get_object(oss.GetObjectRequest(bucket=bucket, key=key)).body.read()


def sts_put(sdk, client, bucket, key, data):
    if sdk == "oss2":
        return client.put_object(key, data)
    return client.put_object(oss.PutObjectRequest(bucket=bucket, key=key, body=data))


@pytest.mark.parametrize("sdk", ["oss2", "v2"])
def test_issued_credentials_are_limited_by_their_session_policy_until_revoked(users, sdk, tmp_path):
    bucket = random_name("sts")
    users_bucket(users.endpoint, users.bob, bucket).create_bucket()
    policy = tmp_path / "session.json"
    policy.write_text(policy_document(
        {"Effect": "Allow", "Action": ["oss:GetObject", "oss:PutObject"], "Resource": [f"acs:oss:*:*:{bucket}/uploads/*"]}))
    # Issued while the server runs: in effect as soon as the command returns.
    credentials = admin(users.binary, users.data, "sts", "issue", "--user", "bob", "--policy", str(policy), "--duration", "1h")
    assert set(credentials) == {"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}
    client = sts_client(sdk, users.endpoint, credentials, bucket)
    sts_put(sdk, client, bucket, "uploads/a.bin", b"from a session")
    assert sts_get(sdk, client, bucket, "uploads/a.bin") == b"from a session"
    expect_failure(lambda: sts_put(sdk, client, bucket, "elsewhere.bin", b"x"), 403, "AccessDenied")
    # Bob's own bucket rights reach no further than the session policy; the owner's bucket not at all.
    other = sts_client(sdk, users.endpoint, credentials, A_PUBLIC)
    expect_failure(lambda: sts_get(sdk, other, A_PUBLIC, "logs/today.log"), 403, "AccessDenied")

    admin(users.binary, users.data, "sts", "revoke", credentials["AccessKeyId"])
    expect_failure(lambda: sts_get(sdk, client, bucket, "uploads/a.bin"), 403, "InvalidSecurityToken")
    owner_of_it = users_bucket(users.endpoint, users.bob, bucket)
    owner_of_it.delete_object("uploads/a.bin")
    owner_of_it.delete_bucket()


def test_issued_credentials_expire(users):
    credentials = admin(users.binary, users.data, "sts", "issue", "--user", "carol", "--duration", "2s")
    client = sts_client("oss2", users.endpoint, credentials, A_PUBLIC)
    assert client.get_object("logs/today.log").read() == b"log line"
    time.sleep(3)
    expect_failure(lambda: client.get_object("logs/today.log"), 403, "SecurityTokenExpired")


def test_the_request_log_names_the_principal(users):
    mark = users.process.mark()
    make_flavor("oss2-v1", users.endpoint, users.bob).list_bucket_names()
    anonymous_flavor("oss2", users.endpoint).get(A_PUBLIC, "logs/today.log")
    expect_failure(lambda: make_flavor("oss2-v1", users.endpoint, Credentials("LTAInobody", "x")).list_bucket_names(),
                   403, "InvalidAccessKeyId")
    deadline = time.time() + 5
    while time.time() < deadline:
        lines = users.process.output(since=mark).splitlines()
        if len([line for line in lines if "principal=" in line]) >= 3:
            break
        time.sleep(0.05)
    assert any(f"principal={users.bob_id}/{users.bob.access_key_id}" in line and "GET / 200" in line for line in lines), lines
    assert any("principal=anonymous" in line and "today.log 200" in line for line in lines), lines
    assert any("principal=-" in line and " 403 " in line for line in lines), lines
    assert not any(users.bob.access_key_secret in line for line in users.process.output().splitlines())


def test_disabled_and_rotated_keys_are_refused(users):
    """Runs last in this module: it restarts the server with changed keys."""
    users.process.stop()
    admin(users.binary, users.data, "key", "disable", users.bob.access_key_id)
    rotated = admin(users.binary, users.data, "key", "rotate", users.carol.access_key_id)
    users.process.start()
    for flavor_name in FLAVORS:
        bob = make_flavor(flavor_name, users.endpoint, users.bob)
        expect_failure(lambda: bob.list_bucket_names(), 403, "InvalidAccessKeyId")
        old = make_flavor(flavor_name, users.endpoint, users.carol)
        expect_failure(lambda: old.list_bucket_names(), 403, "InvalidAccessKeyId")
        fresh = make_flavor(flavor_name, users.endpoint, Credentials(rotated["AccessKeyId"], rotated["AccessKeySecret"]))
        assert A_BUCKET not in fresh.list_bucket_names()
        assert fresh.get(A_PUBLIC, "logs/today.log").body == b"log line"
    assert_owner_state_unchanged(users)
