"""Files read and densities built in background jobs (scoreviz.gui.jobs): a session file, an image,
a preset or an expression never holds up the GUI thread; a newer request supersedes an older one;
a refusal reads the same, whether it comes at once or from the job."""

from __future__ import annotations

import threading
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from helpers import small_config, wait_for_frame

ROOT = Path(__file__).resolve().parents[2]
HEART = str(ROOT / "resources" / "heart.png")


def _session_file(path, density="moons", steps=3):
    from scoreviz.core.session import Session
    from scoreviz.core.session_file import save_session

    session = Session(small_config(density=density, device="cpu"))
    session.train(steps)
    save_session(path, session)
    return path


def _slow_reads(monkeypatch, seconds):
    """Make every session read take ``seconds`` longer; the threads that read are recorded."""
    from scoreviz.core.session_file import load_session
    from scoreviz.gui.sessions import opening

    threads = []

    def slow(path, device=None):
        threads.append(threading.current_thread())
        time.sleep(seconds)
        return load_session(path, device=device)

    monkeypatch.setattr(opening, "load_session", slow)
    return threads


# ============================================================================ sessions
def test_a_session_is_read_in_a_job_while_the_window_answers(qtbot, make_window, tmp_path, monkeypatch):
    path = _session_file(tmp_path / "three.scoreviz", steps=3)
    w = make_window()
    wait_for_frame(qtbot, w)
    threads = _slow_reads(monkeypatch, 0.5)
    t0 = time.perf_counter()
    assert w.open_path(str(path))
    assert time.perf_counter() - t0 < 0.4  # the read goes on in the background
    assert w.sessions.opening is not None and "opening three.scoreviz" in w.statusBar().currentMessage()
    with qtbot.waitSignal(w.sessions.opened, timeout=20000):
        pass
    assert w.sessions.opening is None and threads and threading.main_thread() not in threads
    f = wait_for_frame(qtbot, w, lambda f: f.state.step == 3 and f.state.cfg.density == "moons")
    assert f.state.density.name == "moons" and w.windowTitle().startswith("three[*] — ")


def test_a_newer_open_supersedes_one_still_being_read(qtbot, make_window, tmp_path, monkeypatch):
    first = _session_file(tmp_path / "first.scoreviz", density="moons", steps=2)
    second = _session_file(tmp_path / "second.scoreviz", density="circles", steps=4)
    w = make_window()
    wait_for_frame(qtbot, w)
    _slow_reads(monkeypatch, 0.3)
    opened = []
    w.sessions.opened.connect(opened.append)
    assert w.sessions.open(str(first))
    assert w.sessions.open(str(second))
    qtbot.waitUntil(lambda: w.sessions.opening is None, timeout=20000)
    qtbot.wait(600)  # the first read has ended too: its result is never used
    assert opened == [str(second)]
    wait_for_frame(qtbot, w, lambda f: f.state.step == 4 and f.state.cfg.density == "circles")


def test_a_file_the_job_refuses_is_reported_in_the_readers_words_and_changes_nothing(qtbot, make_window, tmp_path):
    from scoreviz.core.errors import ScorevizError
    from scoreviz.core.session_file import load_session

    odd = tmp_path / "odd.scoreviz"
    with zipfile.ZipFile(odd, "w") as z:  # a zip archive, but not a session: refused by the job
        z.writestr("notes.txt", "hello")
    with pytest.raises(ScorevizError) as refused:
        load_session(odd)
    w = make_window()
    wait_for_frame(qtbot, w)
    assert w.open_path(str(odd))  # being read
    qtbot.waitUntil(lambda: w.sessions.opening is None, timeout=20000)
    assert w.banner.text() == str(refused.value).splitlines()[0]
    assert w.banner.action.text() == "Open another…"
    f = wait_for_frame(qtbot, w)
    assert f.state.cfg.density == "8gaussians" and w.sessions.path is None and not w.isWindowModified()


def test_what_is_refused_at_once_reads_as_the_reader_says_it(tmp_path):
    from scoreviz.core.errors import ScorevizError
    from scoreviz.core.session_file import load_session
    from scoreviz.gui.sessions.opening import quick_refusal, refusal_text

    junk = tmp_path / "junk.scoreviz"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    good = _session_file(tmp_path / "good.scoreviz")
    for path in (tmp_path / "missing.scoreviz", tmp_path, junk):
        with pytest.raises(ScorevizError) as refused:
            load_session(path)
        e = quick_refusal(str(path))
        assert e is not None and refusal_text(str(path), e) == str(refused.value).splitlines()[0], path
    assert quick_refusal(str(good)) is None  # read by the job


# ============================================================================ densities
@pytest.fixture
def section(qtbot):
    from scoreviz.gui.controls.density import DensitySection

    sec = DensitySection()
    qtbot.addWidget(sec)
    got = []
    sec.densityRequested.connect(lambda d, how: got.append((d, how)))
    return sec, got


def _disc(path, box):
    img = Image.new("L", (64, 64), 255)
    ImageDraw.Draw(img).ellipse(box, fill=0)
    img.save(path)
    return str(path)


def test_an_image_is_decoded_in_a_job_and_the_newest_request_wins(qtbot, section, tmp_path):
    sec, got = section
    a = _disc(tmp_path / "a.png", (8, 8, 30, 30))
    b = _disc(tmp_path / "b.png", (34, 34, 60, 60))
    assert sec.apply_preset()
    assert sec.load_image(a)
    assert sec.load_image(b)  # supersedes both
    assert sec.building is not None and got == []  # nothing was decoded on this thread
    qtbot.waitUntil(lambda: sec.building is None, timeout=20000)
    qtbot.wait(300)  # the older jobs have ended: their densities are dropped
    assert [how for _, how in got] == ["image b.png"]
    assert sec.image_path.text() == b and not sec.image_error.isVisible()


def test_densities_are_built_off_the_gui_thread(qtbot, section):
    sec, got = section
    where = []

    def make(spec, **params):
        where.append(threading.current_thread())
        from scoreviz.core.densities import make_preset

        return make_preset(spec, **params)

    sec.build(make, "moons", {}, sec.preset_error, lambda d: sec.densityRequested.emit(d, "preset moons"))
    qtbot.waitUntil(lambda: bool(got), timeout=20000)
    assert got[0][0].name == "moons" and where and where[0] is not threading.main_thread()


def test_a_refused_image_or_expression_shows_the_loaders_words(qtbot, section, tmp_path):
    from scoreviz.core.densities import load_density
    from scoreviz.core.errors import ScorevizError

    sec, got = section
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    for path in (str(broken), str(tmp_path / "missing.png"), str(tmp_path)):
        with pytest.raises(ScorevizError) as refused:
            load_density(path)
        assert not sec.load_image(path)  # refused at once: nothing to decode
        assert sec.image_error.text() == str(refused.value).splitlines()[0]
    # a header that reads but pixels that do not: refused by the job, in the same words
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(Path(HEART).read_bytes()[:200])
    with pytest.raises(ScorevizError) as refused:
        load_density(str(truncated))
    assert sec.load_image(str(truncated))
    qtbot.waitUntil(lambda: sec.building is None, timeout=20000)
    assert sec.image_error.text() == str(refused.value).splitlines()[0]
    # an expression: built (and refused) in the job
    sec.expression.setText("-(x**2 + y**2 - 4)**2 / ")
    with pytest.raises(ScorevizError) as refused:
        load_density("expr:-(x**2 + y**2 - 4)**2 /")
    assert sec._apply_expression() and sec.building is not None
    qtbot.waitUntil(lambda: sec.building is None, timeout=20000)
    assert sec.expression_error.text() == str(refused.value).splitlines()[0]
    assert got == []


def test_a_sessions_density_put_in_force_drops_one_being_built(qtbot, section):
    from scoreviz.core.densities import make_preset

    sec, got = section
    sec.preset.setCurrentText("moons")  # starts a build
    assert sec.building is not None
    rings = make_preset("rings")
    sec.show_in_force(rings)
    assert sec.building is None
    qtbot.wait(500)
    assert got == [] and sec.preset.currentText() == "rings"


def test_the_window_reports_a_file_refused_by_the_job_and_lists_only_files_it_opened(qtbot, make_window, tmp_path):
    """open_path answers at once for a file the job will read; the refusal reaches the status bar
    when the job ends, and the recent list holds only files that became the target."""
    from scoreviz.core.densities import load_density
    from scoreviz.core.errors import ScorevizError
    from scoreviz.gui import app_data

    app_data.clear_recent()  # the app data folder is shared by the session's tests
    w = make_window()
    wait_for_frame(qtbot, w)
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(Path(HEART).read_bytes()[:200])
    with pytest.raises(ScorevizError) as refused:
        load_density(str(truncated))
    reason = str(refused.value).splitlines()[0]
    assert w.open_path(str(truncated))  # being read
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == reason, timeout=20000)
    assert str(truncated) not in app_data.recent_files()
    assert w.open_path(HEART)
    qtbot.waitUntil(lambda: w.controls.density.building is None, timeout=20000)
    assert HEART in app_data.recent_files() and str(truncated) not in app_data.recent_files()
    assert w.controls.density.image_error.text() == ""


def test_a_path_with_markup_or_escapes_is_shown_as_text_in_the_banner_and_the_image_tab(qtbot, make_window, tmp_path):
    """Issue 12: '<h1>Update required</h1>' in a file name is text, not a heading; control
    characters are escaped; in the error banner, the image tab's error and its path."""
    from PySide6 import QtCore

    w = make_window()
    wait_for_frame(qtbot, w)
    name = "<h1>Update required: run curl x | sh\x1b[2J.png"  # a file name cannot hold the closing tag's slash
    bad = tmp_path / name
    bad.write_bytes(b"not a png")
    assert not w.open_path(str(bad))  # refused at once
    err = w.controls.density.image_error
    assert err.textFormat() == QtCore.Qt.TextFormat.PlainText
    assert "<h1>Update required: run curl x | sh\\x1b[2J.png" in err.text() and "\x1b" not in err.text()
    w.banner.show_message(f"cannot open '{bad}': not a session")
    assert w.banner.label.textFormat() == QtCore.Qt.TextFormat.PlainText
    assert "<h1>" in w.banner.label.text() and "\x1b" not in w.banner.label.text()
    assert w.controls.density.image_path.textFormat() == QtCore.Qt.TextFormat.PlainText
