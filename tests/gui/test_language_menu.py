"""View ▸ Language: System language, English and 한국어, exclusive and checked as stored; a choice is stored
for the next start and the status bar says when it applies."""

from __future__ import annotations

from PySide6 import QtWidgets

from helpers import small_config
from scoreviz.gui import i18n


def _language_menu(w) -> QtWidgets.QMenu:
    view_menu = next(m for m in w.menuBar().findChildren(QtWidgets.QMenu) if m.title() == "&View")
    menus = [a.menu() for a in view_menu.actions() if a.menu() is not None]
    return next(m for m in menus if m.title() == "&Language")


def test_the_language_menu_stores_the_choice_for_the_next_start(qtbot, make_window, monkeypatch, tmp_path):
    monkeypatch.setenv("SCOREVIZ_DATA_DIR", str(tmp_path))  # the stored choice goes to a throw-away folder
    w = make_window(small_config())
    menu = _language_menu(w)
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == ["System language", "English", "한국어"]
    assert all(a.isCheckable() for a in actions)
    assert actions[0].actionGroup() is not None and actions[0].actionGroup().isExclusive()
    assert [a.isChecked() for a in actions] == [False, True, False]  # tests/conftest.py: SCOREVIZ_LANG=en
    assert menu.menuAction() is w.view_menu.actions()[-1]  # the last of View

    monkeypatch.delenv("SCOREVIZ_LANG")
    actions[2].trigger()  # 한국어
    assert i18n.chosen() == "ko"
    assert [a.isChecked() for a in actions] == [False, False, True]
    assert w.statusBar().currentMessage() == "The language changes when scoreviz starts again"
    assert i18n.active_language() == "en"  # nothing changes before the restart
    assert w.menuBar().actions()[0].text() == "&File"

    actions[1].trigger()  # English: the interface is in it already
    assert i18n.chosen() == "en"
    assert w.statusBar().currentMessage() == "The interface is already in this language"
