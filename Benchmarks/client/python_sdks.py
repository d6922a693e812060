"""Uploads and downloads FILE through the official Python SDKs with their CRC checks on, and
prints 'name seconds' per transfer: oss2's resumable functions and alibabacloud-oss-v2's
uploader and downloader, each with its default part size and parallelism."""
import atexit
import os
import shutil
import sys
import tempfile
import time

import alibabacloud_oss_v2 as oss
import oss2

endpoint, bucket_name, path = sys.argv[1:4]
key_id, secret = os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"]
work = tempfile.mkdtemp()
# Two whole-object downloads land here: removed however the script ends, or a tmpfs TMPDIR fills up.
atexit.register(shutil.rmtree, work, True)


def durable(path):
    """fsync a downloaded file, as OSSClient does before it reports success."""
    fd = os.open(path, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)


def timed(name, action):
    start = time.monotonic()
    action()
    print(f"{name} {time.monotonic() - start:.6f}", flush=True)


bucket = oss2.Bucket(oss2.Auth(key_id, secret), endpoint, bucket_name, enable_crc=True)
store = oss2.ResumableStore(root=work)
timed("oss2-upload", lambda: oss2.resumable_upload(bucket, "oss2.bin", path, store=store, num_threads=4))
timed("oss2-download", lambda: (oss2.resumable_download(
    bucket, "oss2.bin", os.path.join(work, "oss2.out"), store=oss2.ResumableDownloadStore(root=work), num_threads=4),
    durable(os.path.join(work, "oss2.out"))))

config = oss.config.load_default()
config.credentials_provider = oss.credentials.StaticCredentialsProvider(key_id, secret)
config.region = "cn-hangzhou"
config.endpoint = endpoint
config.use_path_style = True
client = oss.Client(config)
timed("v2-upload", lambda: client.uploader().upload_file(
    oss.PutObjectRequest(bucket=bucket_name, key="v2.bin"), filepath=path))
timed("v2-download", lambda: (client.downloader().download_file(
    oss.GetObjectRequest(bucket=bucket_name, key="v2.bin"), filepath=os.path.join(work, "v2.out")),
    durable(os.path.join(work, "v2.out"))))
