"""Finds GUI strings that bypass the translator (``i18n.tr``): the test that every user-visible string
of the GUI is translatable runs it, and so can anyone (``python -m scoreviz.gui.i18n_scan [FILE ...]``).

A string literal, f-string or concatenation of them given directly as the text of a widget, an action,
a menu, a tooltip, a title, a status message, a plot label or a dialog is reported unless it is wrapped
in ``tr(...)`` (``tr("...").format(...)`` counts as wrapped). Strings with no letter (symbols, numbers,
"") and arguments that are not literals are not reported: a literal kept in a table must be wrapped
where it is written (``tr("Play")`` in the table).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent

# call name -> positions of text arguments (method or function name, whatever the object)
TEXT_ARGS = {
    "setText": (0,), "setToolTip": (0,), "setStatusTip": (0,), "setWhatsThis": (0,), "setWindowTitle": (0,),
    "setTitle": (0,), "setPlaceholderText": (0,), "showMessage": (0,), "show_message": (0,), "setLabel": (1,),
    "setLabels": (), "addItem": (0,), "addItems": (), "insertItem": (1,), "addRow": (0,), "addTab": (1,),
    "setTabText": (1,), "setTabToolTip": (1,), "addMenu": (0,), "addAction": (0,), "setSuffix": (),
    "setPrefix": (), "setSpecialValueText": (0,), "setFormat": (),
    "QLabel": (0,), "QPushButton": (0,), "QCheckBox": (0,), "QRadioButton": (0,), "QGroupBox": (0,),
    "QAction": (0,), "QMenu": (0,), "QDockWidget": (0,), "QToolButton": (), "QListWidgetItem": (0,),
    "information": (1, 2), "warning": (1, 2), "critical": (1, 2), "question": (1, 2),
    "getOpenFileName": (1,), "getSaveFileName": (1,), "getExistingDirectory": (1,),
    "A": (0, 3), "_action": (0,),
}
TEXT_KEYWORDS = {"text", "toolTip", "tooltip", "tip", "title", "label", "caption", "windowTitle"}


def _is_text(node: ast.AST) -> bool:
    """A literal with a letter in it (a string, an f-string or + of them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and any(c.isalpha() for c in str(v.value)) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_text(node.left) or _is_text(node.right)
    return False


def _name(func: ast.AST) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def scan(path: Path) -> list[str]:
    """'file:line: text' for each untranslated text in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        args = [node.args[i] for i in TEXT_ARGS.get(name, ()) if i < len(node.args)] if name in TEXT_ARGS else []
        args += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for a in args:
            if _is_text(a):
                text = ast.unparse(a)
                out.append(f"{path.relative_to(PACKAGE.parent.parent).as_posix()}:{a.lineno}: {text[:80]}")
    return out


def scan_all(paths=None) -> list[str]:
    files = [Path(p) for p in paths] if paths else sorted(p for p in PACKAGE.rglob("*.py") if p.name not in SKIP)
    return [line for f in files for line in scan(f.resolve())]


# files with no user-visible text of the app's own: benchmark output, tooling, and the renderers only the
# command line uses (scoreviz snapshot / animate / lesson), which stays English
SKIP = {"bench.py", "i18n.py", "i18n_scan.py", "snapshot_render.py", "animate_render.py", "lesson_render.py"}


if __name__ == "__main__":
    lines = scan_all(sys.argv[1:])
    print("\n".join(lines))
    print(f"{len(lines)} untranslated string(s)")
    raise SystemExit(1 if lines else 0)
