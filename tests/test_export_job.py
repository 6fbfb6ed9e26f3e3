"""The one export sequence (core/services/export_job.py): a file that is not recorded never stays,
whatever stopped the recording; a preview reads without auditing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from support import (
    FakeClock,
    build_export_case,
    cheap_options,
    create_vault,
    recipient_key_and_certificate,
)

from intake_app.core.errors import ConsentRequired, InvalidInput, StorageError, VaultLocked
from intake_app.core.records import Purpose
from intake_app.core.services.export_job import ExportJob
from intake_app.core.services.exports import ExportRequest
from intake_app.core.vault import audit

PASSWORD = b"a long shared password"


@pytest.fixture(scope="module")
def recipient_keys():
    return recipient_key_and_certificate()


@pytest.fixture
def world(tmp_path, recipient_keys):
    options = cheap_options(clock=FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)))
    services, _key = create_vault(tmp_path / "vault", options)
    ref = build_export_case(services)
    _key_der, cert = recipient_keys
    services.recipients.add(
        name="Unit 3", organisation="Office of the Prosecutor", role="investigators",
        language="en", certificate=cert.public_bytes(serialization.Encoding.PEM),
    )  # fmt: skip
    yield services, ref
    if services.ctx.vault.is_open:
        services.lock()


def actions_after(services, seq):
    return [e.action for e in reversed(audit.events(services.ctx.db)) if e.seq > seq]


def withdraw_sharing(services, ref):
    (share,) = [c for c in services.consent.ledger(ref) if c.purpose is Purpose.SHARE_INVESTIGATORS]
    services.consent.withdraw(share.id, "She no longer wants to share.")


def record_on_another_thread(job, sealed):
    """A bug's failure (not a user-facing error): SQLCipher refuses a connection from a thread
    that did not open it."""
    failure = []

    def run():
        try:
            job.save(sealed)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    raise failure[0]


FAILURES = {
    "the consent changed while sealing": (
        lambda services, ref, job, sealed: (withdraw_sharing(services, ref), job.save(sealed)),
        ConsentRequired,
    ),
    "the vault was locked while sealing": (
        lambda services, ref, job, sealed: (services.lock(), job.save(sealed)),
        VaultLocked,
    ),
    "a bug": (
        lambda services, ref, job, sealed: record_on_another_thread(job, sealed),
        Exception,
    ),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_file_that_could_not_be_recorded_is_removed(world, tmp_path, failure):
    services, ref = world
    out = tmp_path / "sealed.pdf"
    job = ExportJob(services, ExportRequest(ref, "Unit 3", password=PASSWORD), str(out))
    sealed = job.seal()
    assert not out.exists()  # nothing is written before the recording can follow
    provoke, kind = FAILURES[failure]
    with pytest.raises(kind) as raised:
        provoke(services, ref, job, sealed)
    if kind is Exception:
        assert type(raised.value).__module__.startswith("sqlcipher3")
    assert not out.exists() and list(tmp_path.glob("sealed*")) == []
    if services.ctx.vault.is_open:
        assert services.exports.history(ref) == []


def test_a_write_that_fails_leaves_nothing_and_records_nothing(world, tmp_path):
    services, ref = world
    out = tmp_path / "no such folder" / "sealed.pdf"
    job = ExportJob(services, ExportRequest(ref, "Unit 3", password=PASSWORD), str(out))
    with pytest.raises(StorageError):
        job.run()
    assert not out.parent.exists() and services.exports.history(ref) == []


def test_an_existing_file_is_never_touched_and_said_before_sealing(world, tmp_path):
    services, ref = world
    out = tmp_path / "theirs.pdf"
    out.write_bytes(b"someone else's file")
    head = audit.head(services.ctx.db).seq
    with pytest.raises(InvalidInput, match="already exists"):
        ExportJob(services, ExportRequest(ref, "Unit 3", password=PASSWORD), str(out))
    assert out.read_bytes() == b"someone else's file"
    assert actions_after(services, head) == []


def test_the_sequence_writes_records_and_audits_once(world, tmp_path):
    services, ref = world
    out = tmp_path / "sealed.pdf"
    head = audit.head(services.ctx.db).seq
    record, sealed = ExportJob(services, ExportRequest(ref, "Unit 3"), str(out)).run()
    assert out.read_bytes() == sealed.data and out.stat().st_mode & 0o777 == 0o600
    assert record.file_sha256 == sealed.sha256
    assert services.exports.history(ref) == [record]
    assert actions_after(services, head) == ["statement.viewed", "export.sealed"]


def test_a_preview_reads_without_auditing(world):
    services, ref = world
    head = audit.head(services.ctx.db).seq
    for _ in range(5):
        preview = services.exports.preview(ExportRequest(ref, "Unit 3"))
    assert preview.view.statements and actions_after(services, head) == []
    prepared = services.exports.prepare(ExportRequest(ref, "Unit 3"))
    assert [s.sha256 for s in prepared.view.statements] == [
        s.sha256 for s in preview.view.statements
    ]
    assert actions_after(services, head) == ["statement.viewed"]
