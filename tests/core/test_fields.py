"""Grid layout and arrow geometry."""

import numpy as np
import torch

from scoreviz.core.fields import arrow_segments, field_on_grid, grid


def test_grid_layout_row_is_y_column_is_x():
    xs, ys, pts = grid((-1.0, 3.0, 0.0, 2.0), 5)
    assert xs[0] == -1 and xs[-1] == 3 and ys[0] == 0 and ys[-1] == 2
    p = pts.reshape(5, 5, 2).numpy()
    assert np.allclose(p[2, 4], [xs[4], ys[2]])


def test_field_on_grid_matches_function_at_each_point():
    fn = lambda x: torch.stack([x[:, 0] ** 2, -x[:, 1]], 1)
    xs, ys, f = field_on_grid(fn, (-2, 2, -1, 1), 7)
    assert f.shape == (7, 7, 2)
    i, j = 3, 6
    assert np.allclose(f[i, j], [xs[j] ** 2, -ys[i]])


def test_arrows_scaled_to_longest_and_unit_mode():
    xs = np.array([0.0, 1.0], np.float32)
    ys = np.array([0.0], np.float32)
    field = np.array([[[2.0, 0.0], [0.0, 1.0]]], np.float32)
    segs, mag = arrow_segments(xs, ys, field, length=0.5)
    assert segs.shape == (6, 2, 2)
    assert np.allclose(mag, [2.0, 1.0])
    # shafts: first arrow is the longest -> length 0.5; second half of that
    assert np.allclose(segs[0], [[0, 0], [0.5, 0]])
    assert np.allclose(segs[3], [[1, 0], [1, 0.25]])
    segs_u, _ = arrow_segments(xs, ys, field, length=0.5, unit=True)
    assert np.allclose(segs_u[3], [[1, 0], [1, 0.5]])
    # heads point backwards from the tip
    head = segs[1][1] - segs[1][0]
    assert head[0] < 0
