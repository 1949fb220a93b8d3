"""Particle trails drawn into the particle layer (live/raster.py): ages, breaks, colours, dots on top."""

from __future__ import annotations

import numpy as np

from scoreviz.live.raster import (TRAIL_LEVELS, TRAIL_MAX_ALPHA, TRAIL_MIN_ALPHA, TRAIL_RGB, ParticleRaster,
                                  RasterTarget, trail_alpha, trail_levels)

TARGET = RasterTarget((0.0, 10.0, 0.0, 10.0), 100, 100)  # 10 px per data unit, row 0 at y = 10


def channels(pixels):
    p = np.asarray(pixels, np.uint32)
    return (p >> 24) & 255, (p >> 16) & 255, (p >> 8) & 255, p & 255


def test_a_horizontal_path_marks_its_row_with_levels_rising_towards_the_newest_segment():
    k = 6
    path = np.stack([np.linspace(1.0, 9.0, k), np.full(k, 5.05)], -1)[:, None, :]  # one particle, (K, 1, 2)
    lev = trail_levels(path, TARGET)
    row = int((10 - 5.05) * 10)
    assert (lev[row] > 0).sum() >= 79 and (np.delete(lev, row, axis=0) == 0).all()  # one row, 1..9 in data
    marked = lev[row][lev[row] > 0]
    assert marked[0] == round(TRAIL_LEVELS * 1 / (k - 1)) and marked[-1] == TRAIL_LEVELS
    assert (np.diff(marked.astype(int)) >= 0).all()  # oldest (left) faintest, newest (right) strongest
    assert trail_alpha(TRAIL_LEVELS) == TRAIL_MAX_ALPHA and trail_alpha(1) == TRAIL_MIN_ALPHA and trail_alpha(0) == 0


def test_a_non_finite_position_breaks_only_its_own_path_and_outside_points_are_clipped():
    path = np.zeros((3, 2, 2))
    path[:, 0] = [[1, 2], [2, 2], [3, 2]]
    path[:, 1] = [[1, 8], [np.nan, 8], [3, 8]]  # particle 1 diverged at the middle frame: nothing of it
    lev = trail_levels(path, TARGET)
    assert lev[int((10 - 2) * 10)].sum() > 0 and lev[int((10 - 8) * 10)].sum() == 0
    far = np.array([[[-50.0, -50.0]], [[60.0, 60.0]]])  # crosses the whole target: clipped, no error
    assert trail_levels(far, TARGET).sum() > 0
    assert trail_levels(None, TARGET).sum() == 0 and trail_levels(path[:1], TARGET).sum() == 0


def test_where_segments_cross_the_newer_one_wins():
    path = np.zeros((3, 2, 2))
    path[:, 0] = [[5.05, 1], [5.05, 5], [5.05, 9]]  # vertical, ages 1 and 2
    path[:, 1] = [[1, 5.05], [5, 5.05], [9, 5.05]]  # horizontal, the same ages
    lev = trail_levels(path, TARGET)
    assert lev[int((10 - 5.05) * 10), int(5.05 * 10)] == TRAIL_LEVELS


def test_the_layer_is_the_dots_over_the_trails_premultiplied():
    r = ParticleRaster(np.zeros((256, 3), np.uint8))
    path = np.stack([np.linspace(1.0, 4.0, 4), np.full(4, 5.05)], -1)[:, None, :]
    far_dot = np.array([[8.0, 8.0]])
    plain = r.particles(far_dot, TARGET).pixels
    with_trails = r.particles(far_dot, TARGET, path).pixels
    row = int((10 - 5.05) * 10)
    a, red, green, blue = channels(with_trails[row, 35])  # the newest segment, no dot there
    alpha = TRAIL_MAX_ALPHA
    assert a == round(255 * alpha) and (red, green, blue) == tuple(round(c * alpha) for c in TRAIL_RGB)
    assert channels(plain[row, 35])[0] == 0  # no trails asked: transparent there
    dot = (int((10 - 8) * 10), int(8 * 10))
    assert with_trails[dot] == plain[dot]  # away from the trails the dots are unchanged
    # a dot on a trail: the dot's colour over the trail's, alpha = da + ta (1 - da)
    on = r.particles(np.array([[3.55, 5.05]]), TARGET, path).pixels[row, 35]
    dot_only = r.particles(np.array([[3.55, 5.05]]), TARGET).pixels[row, 35]
    da = channels(dot_only)[0] / 255
    assert abs(channels(on)[0] - round(255 * (da + alpha * (1 - da)))) <= 1
    assert channels(on)[1] > channels(dot_only)[1]  # the trail's red shows through a soft dot


def test_a_wider_width_draws_a_thicker_line_for_figures():
    path = np.stack([np.linspace(1.0, 9.0, 3), np.full(3, 5.05)], -1)[:, None, :]
    rows = lambda lev: int((lev > 0).any(axis=1).sum())  # noqa: E731
    assert rows(trail_levels(path, TARGET, width_px=1)) == 1
    assert rows(trail_levels(path, TARGET, width_px=3)) == 3
