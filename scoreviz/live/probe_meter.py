"""The point probe and the curl heat map for the display loop, Qt-free.

The GUI asks for probe points and the curl through ``ViewSettings.probe`` / ``ViewSettings.curl``;
the ``Evaluator`` (display thread, on its own display Session) calls ``ProbeMeter`` and puts the
answers in ``Frame.probe`` / ``Frame.curl``. Answers are cached until the model, the target or the
points change, so a still probe costs nothing per frame. The maths is ``scoreviz.core.probe``'s.
"""

from __future__ import annotations

import time

CURL_GRID = 64  # curl heat-map points per axis over the view's box (two backward passes per point)
# 64² points cost ~40 ms (vector) to ~65 ms (energy) on one core for the default 3×128 network: while the
# weights change (training) the map follows them at most once a second; a new box or model is drawn at once
CURL_INTERVAL_S = 1.0
MAX_PROBE_POINTS = 5  # the hover point and up to 4 pins


class ProbeMeter:
    """Probe results and the curl grid of a display Session, recomputed only when their inputs change."""

    def __init__(self):
        self._probe_key = None
        self._probe = None
        self._curl_key = None
        self._curl = None
        self._curl_t = float("-inf")

    def probes(self, session, points, model_key) -> tuple | None:
        """((x, y), probe dict) for each requested point (at most MAX_PROBE_POINTS), or None when none is asked.
        ``model_key`` changes whenever the model's weights or the target change."""
        from scoreviz.core.probe import probe_point  # lazy: torch loads in the display thread

        if not points:
            return None
        points = tuple((float(x), float(y)) for x, y in tuple(points)[:MAX_PROBE_POINTS])
        key = (model_key, points)
        if key != self._probe_key:
            self._probe = tuple((p, probe_point(session, *p)) for p in points)
            self._probe_key = key
        return self._probe

    def curl(self, session, box, model_key, n: int = CURL_GRID) -> tuple | None:
        """(xs, ys, curl (n, n)) of the learned field over ``box`` (the same object while unchanged)."""
        from scoreviz.core.probe import curl_on_grid  # lazy: torch loads in the display thread

        box = tuple(box if box is not None else session.density.box)
        key = (model_key, box, n)
        if key != self._curl_key:
            now = time.perf_counter()
            old = self._curl_key
            weights_only = old is not None and old[1:] == key[1:] and old[0][::2] == model_key[::2]
            if weights_only and now - self._curl_t < CURL_INTERVAL_S:
                return self._curl  # training moves the weights: keep the last map a little longer
            self._curl = curl_on_grid(session, box, n)
            self._curl_key = key
            self._curl_t = now
        return self._curl
