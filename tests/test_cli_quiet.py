"""S39: whatever a file does to `verify`, stderr holds one sentence: no traceback, no library's log
lines. Real CLI in child processes; the sealed file is made here with real pyHanko."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from support import child_env
from test_sealing import tiny_pdf

from intake_app.core.export.sealing import new_signing_identity, seal_pdf

PASSWORD = b"correct horse battery"

# One child runs the real entry point (`intake_app.cli.main`, real sys.stderr) once per file, so a
# sweep costs one interpreter start; each run's stderr is cut out between two markers.
CHILD = r"""
import json, sys
from intake_app.cli import main
for path in json.loads(sys.argv[1]):
    sys.stderr.write("\0BEGIN\n"); sys.stderr.flush()
    code = main(["verify", path] + json.loads(sys.argv[2]))
    sys.stderr.flush()
    sys.stderr.write("\0END %d\n" % code); sys.stderr.flush()
"""


@pytest.fixture(scope="module")
def sealed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sealed")
    identity = new_signing_identity("Amal Haddad", "Field Office North")
    (folder / "sealed.pdf").write_bytes(seal_pdf(tiny_pdf(), identity, password=PASSWORD))
    (folder / "password").write_bytes(PASSWORD + b"\n")
    (folder / "signer.pem").write_bytes(
        identity.certificate.public_bytes(serialization.Encoding.PEM)
    )
    return folder


def _options(folder):
    return [
        "--signer-cert",
        str(folder / "signer.pem"),
        "--password-file",
        str(folder / "password"),
    ]


def verify_all(folder, paths) -> list[tuple[int, str]]:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            json.dumps([str(p) for p in paths]),
            json.dumps(_options(folder)),
        ],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = []
    for chunk in run.stderr.split("\0BEGIN\n")[1:]:
        text, _, code = chunk.rpartition("\0END ")
        results.append((int(code), text))
    assert len(results) == len(paths), run.stderr[-2000:]
    return results


def assert_one_sentence(code: int, err: str) -> None:
    assert code == 1, err
    assert "Traceback" not in err and err.startswith("intake-app: ") and err.count("\n") == 1, err


def _variants(folder):
    data = (folder / "sealed.pdf").read_bytes()
    made = {
        "appended": data + b"garbage\n",
        "truncated": data[:-1],
        "cut-half": data[: len(data) // 2],
    }
    for name, content in made.items():
        (folder / f"{name}.pdf").write_bytes(content)
    paths = [folder / f"{name}.pdf" for name in made]
    if shutil.which("qpdf"):
        for flag in ("--linearize", "--object-streams=generate"):
            target = folder / f"qpdf{flag.replace('=', '-')}.pdf"
            subprocess.run(
                [
                    "qpdf",
                    f"--password={PASSWORD.decode()}",
                    flag,
                    str(folder / "sealed.pdf"),
                    str(target),
                ],
                check=True,
            )
            paths.append(target)
    return paths


def test_rewritten_appended_and_truncated_files_print_one_sentence(sealed):
    paths = _variants(sealed)
    assert len(paths) == 5, "qpdf is needed for this test"
    for code, err in verify_all(sealed, paths):
        assert_one_sentence(code, err)


def test_the_installed_entry_point_is_quiet_too(sealed):
    (sealed / "tail.pdf").write_bytes((sealed / "sealed.pdf").read_bytes() + b"%%EOF\n")
    run = subprocess.run(
        [sys.executable, "-m", "intake_app", "verify", str(sealed / "tail.pdf"), *_options(sealed)],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert_one_sentence(run.returncode, run.stderr)


def _flip_sweep(folder, count: int, seed: int) -> None:
    data = (folder / "sealed.pdf").read_bytes()
    rng = random.Random(seed)
    paths = []
    for index, where in enumerate(sorted(rng.sample(range(len(data)), count))):
        flipped = bytearray(data)
        flipped[where] ^= 0x20 if index % 2 else 0xFF
        path = folder / f"flip-{where}.pdf"
        path.write_bytes(bytes(flipped))
        paths.append(path)
    for code, err in verify_all(folder, paths):
        assert_one_sentence(code, err)


def test_a_sample_of_byte_flips_prints_one_sentence_each(sealed):
    _flip_sweep(sealed, 40, seed=15)


@pytest.mark.slow
def test_two_thousand_byte_flips_print_one_sentence_each(sealed):
    _flip_sweep(sealed, 2000, seed=39)
