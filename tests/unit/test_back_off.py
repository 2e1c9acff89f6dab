"""The wait before a retry after a write conflict: exponential, counted in
the failed attempt's own duration, so that a busy machine (long attempts)
spreads the retries as widely as an idle one."""

import pytest

from tracker import config


def test_the_bound_doubles_with_each_failure_up_to_a_limit():
    bounds = [config.back_off_bound(failures, 0.1) for failures in range(1, 8)]
    assert bounds == pytest.approx([0.2, 0.4, 0.8, 1.6, 3.2, 3.2, 3.2])  # at most 32 attempts long
    assert config.back_off_bound(5, 1.0) == config.MAX_BACK_OFF  # and never over MAX_BACK_OFF


def test_the_bound_is_counted_in_attempt_durations():
    quick, busy = config.back_off_bound(3, 0.01), config.back_off_bound(3, 0.3)
    assert quick == pytest.approx(8 * config.MIN_SLOT)  # a very quick attempt counts as MIN_SLOT
    assert busy == pytest.approx(8 * 0.3)


def test_a_retry_waits_at_most_the_bound_for_pyramid_retrys_attempt(monkeypatch):
    """pyramid_retry keeps the failed attempt's number (from 0) in the environ."""
    from types import SimpleNamespace

    waited, clock = [], [100.0]
    monkeypatch.setattr(config.time, 'monotonic', lambda: clock[0])
    monkeypatch.setattr(config.time, 'sleep', waited.append)
    monkeypatch.setattr(config.random, 'uniform', lambda low, high: high)
    environ = {'retry.attempt': 2}
    config._mark_attempt(SimpleNamespace(request=SimpleNamespace(environ=environ)))
    clock[0] += 0.25  # the third attempt took 0.25 s and conflicted
    config._back_off(SimpleNamespace(environ=environ, request=None))
    assert waited == [pytest.approx(config.back_off_bound(3, 0.25))]
