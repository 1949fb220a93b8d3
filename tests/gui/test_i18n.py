"""The interface in English and Korean (issue 15): every GUI string goes through the translator, the
Korean .ts has no unfinished message, the shipped .qm is the .ts compiled, and the app switches."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6 import QtWidgets

from helpers import small_config
from scoreviz.gui import i18n
from scoreviz.gui.i18n_scan import scan_all


def test_every_gui_string_goes_through_the_translator():
    assert scan_all() == []


def test_the_korean_ts_translates_every_message_of_the_code():
    assert i18n.problems("ko") == []
    messages = i18n.extract()
    assert len(messages) > 300  # the whole interface, not a sample
    ts = i18n.read_ts(i18n.ts_path("ko"))
    for src in messages:
        text, finished = ts[src]
        assert finished and text, src
        for token in ("{", "}", "<sub>", "</sub>"):
            assert src.count(token) == text.count(token), (src, text)  # placeholders and markup survive


def test_the_shipped_qm_is_the_ts_compiled(tmp_path, monkeypatch):
    shipped = i18n.qm_path("ko").read_bytes()
    monkeypatch.setattr(i18n, "QM_DIR", tmp_path)
    fresh = i18n.build("ko").read_bytes()
    assert fresh == shipped, "run: python -m scoreviz.gui.i18n build"


def test_the_check_command_passes():
    r = subprocess.run([sys.executable, "-m", "scoreviz.gui.i18n", "check"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:]


def test_the_choice_resolves_and_korean_replaces_the_menus(qtbot, make_window, monkeypatch):
    assert i18n.resolve("system", "ko_KR") == "ko" and i18n.resolve("system", "de_DE") == "en"
    assert i18n.resolve("en", "ko_KR") == "en"
    app = QtWidgets.QApplication.instance()
    assert i18n.install_translator(app, "ko") == "ko"
    try:
        assert i18n.tr("Play") != "Play" and any("\uac00" <= c <= "\ud7a3" for c in i18n.tr("Play"))
        w = make_window(small_config())
        titles = [m.title() for m in w.menuBar().findChildren(QtWidgets.QMenu) if m.title()]
        assert any(any("\uac00" <= c <= "\ud7a3" for c in t) for t in titles), titles
        assert not any(t in ("&File", "&View", "&Run") for t in titles)
    finally:
        assert i18n.install_translator(app, "en") == "en"
    assert i18n.tr("Play") == "Play"


@pytest.mark.parametrize("choice", ["ko", "en", "system"])
def test_the_choice_is_stored(monkeypatch, choice):
    monkeypatch.delenv("SCOREVIZ_LANG", raising=False)
    i18n.choose(choice)
    assert i18n.chosen() == choice
    with pytest.raises(ValueError):
        i18n.choose("fr")
