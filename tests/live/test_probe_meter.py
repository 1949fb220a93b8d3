"""The display loop's probe and curl (live/probe_meter.py via the Evaluator): the Frame carries the core's
probe_point and curl_on_grid on the display model, cached until the points or the weights change."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from live_helpers import published, small_config, started
from scoreviz.core.probe import curl_on_grid, probe_point
from scoreviz.live.commands import Step
from scoreviz.live.evaluator import Evaluator, ViewSettings
from scoreviz.live.probe_meter import CURL_GRID

VIEW = ViewSettings(grid=16, heat=24, trails=False)


def test_frame_carries_probe_and_curl_of_the_display_model():
    t, _ = started(small_config())
    t.handle(Step())
    ev = Evaluator(display_dtype="float32")
    f = ev.frame(published(t), VIEW)
    assert f.probe is None and f.curl is None  # nothing asked, nothing computed
    view = replace(VIEW, probe=((0.5, -1.0), (2.0, 1.0)), curl=True)
    f = ev.frame(published(t), view)
    ds = ev.session
    assert [p for p, _ in f.probe] == [(0.5, -1.0), (2.0, 1.0)]
    for p, d in f.probe:
        want = probe_point(ds, *p)
        assert d["learned_score"] == pytest.approx(want["learned_score"], rel=1e-5, abs=1e-6)
        assert d["curl"] == pytest.approx(want["curl"], rel=1e-5, abs=1e-6)
    xs, ys, c = f.curl
    _, _, want = curl_on_grid(ds, ds.density.box, c.shape[0])
    np.testing.assert_allclose(c, want, rtol=1e-5, atol=1e-6)
    g = ev.frame(published(t), view)  # unchanged weights and points: the same objects
    assert g.probe is f.probe and g.curl is f.curl
    t.handle(Step())
    ev.weights_t = float("-inf")  # load the newest weights now
    h = ev.frame(published(t), view)
    assert h.probe is not f.probe  # the probe follows every new weight
    assert h.curl is f.curl  # the curl map at most once a second while only the weights move (CURL_INTERVAL_S)
    ev.probe_meter._curl_t = float("-inf")  # as if a second had passed
    k = ev.frame(published(t), view)
    assert k.curl is not f.curl
    np.testing.assert_allclose(k.curl[2], curl_on_grid(ev.session, ev.session.density.box, CURL_GRID)[2],
                               rtol=1e-5, atol=1e-6)
    moved = ev.frame(published(t), replace(view, box=(-1.0, 1.0, -1.0, 1.0)))  # a new box: at once
    assert moved.curl[0][0] == pytest.approx(-1.0) and moved.curl[2].shape == (CURL_GRID, CURL_GRID)
