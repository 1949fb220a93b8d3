"""What a file says reaches a terminal or a label only as text (issue 12): scoreviz.core.text.plain."""

from __future__ import annotations

import pytest

from scoreviz.core.text import plain


@pytest.mark.parametrize("raw, shown", [
    ("plain words, ünïcode, 한국어", "plain words, ünïcode, 한국어"),
    ("\x1b]0;owned\x07", "\\x1b]0;owned\\x07"),  # set the terminal's title, ring the bell
    ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),  # clear the screen, colours
    ("a\x00b\rc\nd\x7f\x9b", "a\\x00b\\x0dc\\x0ad\\x7f\\x9b"),  # NUL, CR, LF, DEL, C1 CSI
    ("abc\u202edcba\u2066x\u2028y", "abc\\u202edcba\\u2066x\\u2028y"),  # reordering and line separators
    ("<h1>Update required</h1>", "<h1>Update required</h1>"),  # markup stays text for PlainText labels
])
def test_control_and_reordering_characters_are_escaped_and_the_rest_is_kept(raw, shown):
    assert plain(raw) == shown
    assert plain(shown) == shown  # escaping is idempotent on its own output


def test_anything_is_turned_into_text():
    assert plain(ValueError("bad \x1b[2J value")) == "bad \\x1b[2J value"
    assert plain(3.5) == "3.5"
