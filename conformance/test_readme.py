"""The README's client examples, run as a new user would run them: the `oss` commands in a new
folder beside a server started there, the oss2 snippet of the README and the one `oss serve`
prints, each run twice (a snippet that only works once is a broken snippet).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
CRC_OF_HELLO = "11726769516912404153"


def block_after(marker: str, language: str) -> str:
    """The first ```language block after the line containing `marker`."""
    text = README.read_text()
    start = text.index(marker)
    match = re.compile(rf"```{language}\n(.*?)```", re.S).search(text, start)
    assert match, f"no {language} block after {marker!r} in README.md"
    return match.group(1)


def serve(binary: Path, folder: Path, *arguments: str, environment=None) -> tuple[subprocess.Popen, str, str]:
    """`oss serve` started in `folder` on a free port; returns the process, its endpoint and what it printed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OSS_")}
    env.update(environment or {})
    process = subprocess.Popen(
        [str(binary), "serve", "--address", "127.0.0.1:0", *arguments], cwd=folder, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    printed = ""
    while "listening on " not in printed:
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"oss serve did not start: {printed}")
        printed += line
    endpoint = re.search(r"listening on (\S+)", printed).group(1)
    return process, endpoint, printed


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def run_python(code: str, folder: Path) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_client_commands_block_runs_literally_in_a_new_folder(server_binary, tmp_path):
    """In one terminal `oss serve --bucket my-bucket`, in another the README's block, same folder."""
    folder = tmp_path / "new-folder"
    folder.mkdir()
    process, endpoint, _ = serve(server_binary, folder, "--bucket", "my-bucket")
    try:
        script = block_after("In one terminal, in a new folder", "sh")
        # The README's server listens on 9000; this one on a free port, named the way users name it.
        env = {k: v for k, v in os.environ.items() if not k.startswith("OSS_")}
        env.update(PATH=f"{server_binary.parent}{os.pathsep}{env['PATH']}", OSS_ENDPOINT=endpoint,
                   HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "home/.cache"),
                   XDG_STATE_HOME=str(tmp_path / "home/.local/state"), XDG_CONFIG_HOME=str(tmp_path / "home/.config"))
        result = subprocess.run(["bash", "-e", "-c", script], cwd=folder, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        out = result.stdout
        assert "CRC-64 verified" in out
        assert "2 copied" in out and "0 copied (0 B), 2 identical" in out, out
        assert (folder / "copy.txt").read_text() == "hello, oss\n"
        assert "deleted oss://my-bucket/hello.txt" in out
    finally:
        stop(process)


def test_readme_oss2_snippet_runs_twice(server_binary, tmp_path):
    process, endpoint, _ = serve(
        server_binary, tmp_path, "--bucket", "my-bucket",
        environment={"OSS_ACCESS_KEY_ID": "LTAIexample", "OSS_ACCESS_KEY_SECRET": "example-secret"})
    try:
        code = block_after("OSS_ACCESS_KEY_ID=LTAIexample", "python").replace("http://127.0.0.1:9000", endpoint)
        for _ in range(2):
            assert run_python(code, tmp_path).split() == [CRC_OF_HELLO, CRC_OF_HELLO]
    finally:
        stop(process)


def test_the_snippet_oss_serve_prints_runs_twice(server_binary, tmp_path):
    process, _, printed = serve(server_binary, tmp_path)
    try:
        snippet = printed[printed.index("Python (oss2):") + len("Python (oss2):"):printed.index("listening on")]
        code = textwrap.dedent(snippet.strip("\n"))
        for _ in range(2):
            assert run_python(code, tmp_path).split() == [CRC_OF_HELLO]
    finally:
        stop(process)
