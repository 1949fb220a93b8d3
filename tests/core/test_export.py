"""Field exports: npz and CSV round trips give the same arrays."""

import numpy as np
import pytest

from scoreviz.core.errors import ScorevizError
from scoreviz.core.export import field_arrays, read_field_csv, write_field_csv, write_field_npz
from scoreviz.core.models import ModelConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig


@pytest.fixture(scope="module")
def arrays():
    s = Session(SessionConfig(density="moons", model=ModelConfig(hidden=16, layers=1), batch=32, device="cpu",
                              sampler=SamplerConfig(n_particles=10)))
    s.train(5)
    return field_arrays(s, n=9)


def test_npz_round_trip(tmp_path, arrays):
    write_field_npz(tmp_path / "f.npz", arrays)
    back = np.load(tmp_path / "f.npz")
    for k, v in arrays.items():
        assert np.array_equal(back[k], v), k


def test_csv_round_trip_and_layout(tmp_path, arrays):
    p = tmp_path / "f.csv"
    write_field_csv(p, arrays)
    lines = p.read_text().splitlines()
    assert lines[0] == "x,y,learned_u,learned_v,true_u,true_v,log_density"
    assert len(lines) == 1 + 81
    x, y, lu, lv, tu, tv, ld = (float(v) for v in lines[1 + 9 * 2 + 4].split(","))  # row i=2, column j=4
    assert (x, y) == pytest.approx((arrays["xs"][4], arrays["ys"][2]))
    assert (lu, lv) == pytest.approx(tuple(arrays["learned"][2, 4]), rel=1e-6)
    back = read_field_csv(p)
    for k in ("xs", "ys", "learned", "true", "log_density"):
        assert np.allclose(back[k], arrays[k], rtol=1e-7, atol=1e-7), k


def test_foreign_csv_refused(tmp_path):
    p = tmp_path / "other.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(ScorevizError, match="other.csv"):
        read_field_csv(p)
