"""The seed document's Python example (shared/seeds/000_*.txt), run verbatim as a subprocess against
the server: only the endpoint and bucket line differs, reading both from the environment; the
credentials come from OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET as the example itself says."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from oss_conformance import REPO_ROOT

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE / "seed_example.py"
ORIGINAL_LINE = "bucket = oss2.Bucket(auth, 'https://oss-cn-hangzhou.aliyuncs.com', 'yourBucketName')"
CHANGED_LINE = ("bucket = oss2.Bucket(auth, __import__('os').environ['OSS_ENDPOINT'], "
                "__import__('os').environ['OSS_BUCKET'])")
EXPECTED_CHECKS = ["put object", "get object", "upload_part object 1", "upload_part object 2", "complete object"]


def test_seed_example_runs_verbatim(endpoint, credentials, fresh_bucket, tmp_path):
    env = dict(os.environ)
    env.update(OSS_ENDPOINT=endpoint, OSS_BUCKET=fresh_bucket, OSS_ACCESS_KEY_ID=credentials.access_key_id,
               OSS_ACCESS_KEY_SECRET=credentials.access_key_secret)
    run = subprocess.run([sys.executable, str(EXAMPLE)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=300)
    output = run.stdout
    assert run.returncode == 0, f"the seed example exited with {run.returncode}:\n{output}"
    assert "failed" not in output, output
    ok_lines = [line for line in output.splitlines() if line.endswith("check crc64 ok.")]
    assert ok_lines == [f"{name} check crc64 ok." for name in EXPECTED_CHECKS], output


def _seed_documents():
    for shared in (REPO_ROOT.parent / "shared", REPO_ROOT / "shared"):
        found = sorted((shared / "seeds").glob("000_*.txt"))
        if found:
            return found
    return []


def test_seed_example_is_the_seed_code():
    """seed_example.py is the seed document's code (which the document prints on one line) with only
    the endpoint/bucket line changed: compared with all whitespace collapsed."""
    documents = _seed_documents()
    if not documents:
        pytest.skip("shared/seeds/000_*.txt is not beside the repository")
    seed = documents[0].read_text(encoding="utf-8")
    first, last = "import oss2 from oss2.credentials", 'check_crc64(local_crc64, oss_crc64, "complete object")'
    code = seed[seed.index(first):seed.index(last) + len(last)]
    ours = EXAMPLE.read_text(encoding="utf-8")
    assert ours.count(CHANGED_LINE) == 1
    ours = ours.replace(CHANGED_LINE, ORIGINAL_LINE)
    assert " ".join(ours.split()) == " ".join(code.split())
