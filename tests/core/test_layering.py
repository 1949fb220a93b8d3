"""The core never imports Qt: checked statically on every module, not only on the ones a run touches."""

import ast
from pathlib import Path

import scoreviz.core

FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "scoreviz.gui")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_core_module_imports_qt_or_the_gui():
    core = Path(scoreviz.core.__file__).parent
    files = sorted(core.glob("*.py"))
    assert len(files) >= 10
    offenders = [(f.name, m) for f in files for m in imported_modules(f) if m.startswith(FORBIDDEN)]
    assert offenders == []
