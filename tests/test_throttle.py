"""S45: the unlock throttle survives the deletion of its state file, and a clock that jumps."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from support import PASSPHRASE, FakeClock, cheap_options, unlock

from intake_app.core.errors import UnlockThrottled, WrongPassphrase
from intake_app.core.vault.throttle import MAX_DELAY_SECONDS
from intake_app.core.vault.vault import Vault


def fail(vault_dir, options, times: int) -> None:
    for _ in range(times):
        with pytest.raises(WrongPassphrase):
            Vault.unlock(vault_dir, "coord", "wrong guess", options)
        options.clock.advance(seconds=MAX_DELAY_SECONDS)  # each wait is over before the next


def retry_after(vault_dir, options) -> float:
    with pytest.raises(UnlockThrottled) as refused:
        Vault.unlock(vault_dir, "coord", PASSPHRASE, options)
    return refused.value.retry_after


def test_deleting_the_state_file_does_not_reset_the_count(coordinator, vault_dir, options):
    coordinator.lock()
    fail(vault_dir, options, 6)
    with pytest.raises(WrongPassphrase):
        Vault.unlock(vault_dir, "coord", "wrong guess", options)
    (vault_dir / "unlock.state").unlink()
    assert 2**3 <= retry_after(vault_dir, options) <= 2**4  # the 7th failure's wait, not 0
    options.clock.advance(seconds=20)
    services = unlock(vault_dir, options)
    unlocked = next(e for e in services.admin.events(limit=5) if e.action == "session.unlocked")
    assert unlocked.details["failed_attempts_before"] == 7
    services.lock()
    # The success cleared both copies; the key file is as the MAC and the mirror expect.
    assert json.loads((vault_dir / "vault.keys").read_text()).get("throttle") is None
    assert (vault_dir / "vault.keys").read_bytes() == (vault_dir / "vault.keys.mirror").read_bytes()
    unlock(vault_dir, options).lock()


def test_a_new_run_with_the_state_file_gone_is_still_throttled(coordinator, vault_dir, options):
    coordinator.lock()
    fail(vault_dir, options, 5)
    (vault_dir / "unlock.state").unlink()
    later = cheap_options(options.device_store, FakeClock(options.clock.moment))  # another process
    with pytest.raises(WrongPassphrase):
        Vault.unlock(vault_dir, "coord", "wrong guess", later)
    (vault_dir / "unlock.state").unlink()
    assert retry_after(vault_dir, later) > 0


def test_a_clock_that_was_fast_during_the_failures_never_demands_more_than_the_maximum(
    coordinator, vault_dir, options
):
    coordinator.lock()
    clock = options.clock
    clock.moment += timedelta(days=30)  # wrong by a month while the guesses are made
    fail(vault_dir, options, 4)
    with pytest.raises(WrongPassphrase):
        Vault.unlock(vault_dir, "coord", "wrong guess", options)
    clock.moment -= timedelta(days=30)  # corrected, in this run
    assert retry_after(vault_dir, options) <= 2**2
    fresh = cheap_options(
        options.device_store, FakeClock(clock.moment)
    )  # corrected, in the next run
    assert retry_after(vault_dir, fresh) <= MAX_DELAY_SECONDS


def test_within_a_run_the_wait_follows_the_monotonic_clock(coordinator, vault_dir, options):
    coordinator.lock()
    fail(vault_dir, options, 4)
    with pytest.raises(WrongPassphrase):
        Vault.unlock(vault_dir, "coord", "wrong guess", options)
    options.clock.moment += timedelta(days=1)  # the wall clock jumps ahead; no time has passed
    assert 0 < retry_after(vault_dir, options) <= 2**2
    options.clock.advance(seconds=2**2)
    unlock(vault_dir, options).lock()
