"""The work budget in the app (issue 12): settings change piecewise from the dock, and a change that
would take the configuration over budget is refused with one visible line while the settings in force
stay (the dock shows them again); the session file with every setting at its maximum is refused when
opened, in one line, and the window goes on as it was."""

from __future__ import annotations

from helpers import max_everything_config, plant_config, small_config, wait_for_frame
from scoreviz.core.models import ModelConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig
from scoreviz.core.session_file import save_session


def _trainer_cfg(w):
    return w.trainer.call(lambda s: s.cfg).result(timeout=20)


def test_a_change_over_budget_is_refused_in_one_line_and_the_settings_stay(qtbot, make_window):
    w = make_window(cfg=small_config(device="cpu"))
    wait_for_frame(qtbot, w)
    before = _trainer_cfg(w)
    assert before.sampler.n_particles == 2000
    # a million particles: each setting is allowed, their product with the network is not
    w.controls.sampler.n.setValue(1_000_000)
    qtbot.waitUntil(lambda: "this configuration needs" in w.banner.text(), timeout=20000)
    text = w.banner.text()
    assert "\n" not in text and w.banner.isVisible()
    assert "per sampler frame (n_particles=1000000, hidden=128, layers=3)" in text
    assert text.endswith("lower n_particles or hidden")
    assert w.statusBar().currentMessage() == text
    qtbot.waitUntil(lambda: w.controls.sampler.n.value() == 2000, timeout=5000)  # the dock shows what is in force
    assert _trainer_cfg(w) == before
    f = wait_for_frame(qtbot, w, lambda f: f.particles.shape[0] == 2000)
    assert f.state.cfg.sampler.n_particles == 2000
    # a network too large by itself is refused under the Model section, before anything is sent
    w.controls.model.hidden.setValue(4096)
    err = w.controls.model.error
    assert not err.isHidden() and "\n" not in err.text()
    assert err.text() == ("this configuration needs 3.36e7 parameters in the network (hidden=4096, layers=3); "
                          "the most allowed is 5e6 parameters: lower hidden or layers")
    assert _trainer_cfg(w).model == before.model
    # a change within budget goes through, and the error goes
    w.controls.model.hidden.setValue(64)
    assert err.isHidden()
    qtbot.waitUntil(lambda: _trainer_cfg(w).model.hidden == 64, timeout=20000)
    # training still runs
    w.play()
    wait_for_frame(qtbot, w, lambda f: f.state.step >= 3, timeout=30000)
    w.pause()


def test_opening_the_max_everything_session_is_refused_in_one_line(qtbot, make_window, tmp_path):
    small = tmp_path / "small.scoreviz"
    save_session(small, Session(SessionConfig(model=ModelConfig(hidden=8, layers=1), batch=16, device="cpu",
                                              sampler=SamplerConfig(n_particles=10))))
    hostile = tmp_path / "hostile.scoreviz"
    plant_config(small, hostile, max_everything_config())
    w = make_window()
    f = wait_for_frame(qtbot, w)
    frames = w.frames_drawn
    assert w.open_path(str(hostile))  # a zip archive: read and refused by the job, off the window's thread
    qtbot.waitUntil(lambda: w.sessions.opening is None, timeout=20000)
    assert w.banner.text() == ("'hostile.scoreviz': this configuration needs 1.17e8 parameters in the network "
                               "(hidden=4096, layers=8); the most allowed is 5e6 parameters: lower hidden or layers")
    assert w.banner.action.text() == "Open another…"
    # nothing changed, and the window keeps drawing
    g = wait_for_frame(qtbot, w, lambda g: w.frames_drawn >= frames + 3)
    assert g.state.cfg == f.state.cfg and w.sessions.path is None and not w.isWindowModified()
