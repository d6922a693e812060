"""Prints a V1 presigned URL for METHOD on BUCKET/KEY (oss2's own signer), for curl."""
import os
import sys

import oss2

method, endpoint, bucket_name, key = sys.argv[1:5]
auth = oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"])
print(oss2.Bucket(auth, endpoint, bucket_name).sign_url(method, key, 3600, slash_safe=True))
