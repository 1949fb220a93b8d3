"""The shape of the code is a checked contract: import-linter's contracts in pyproject.toml.

- core and live never import PySide6, shiboken6 or pyqtgraph (they run and are tested headless);
- layers: cli > gui > live > core (nothing imports upwards);
- no import cycles between sibling packages or modules.

A new cycle or layer breach fails this test, and CI with it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: import-linter brings tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = {
    "core and live never import Qt": "forbidden",
    "layers: cli > gui > live > core": "layers",
    "no import cycles between sibling packages or modules": "acyclic_siblings",
}


def test_the_contracts_are_declared():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    declared = {c["name"]: c["type"] for c in cfg["contracts"]}
    assert declared == CONTRACTS
    by_name = {c["name"]: c for c in cfg["contracts"]}
    assert set(by_name["core and live never import Qt"]["forbidden_modules"]) == {"PySide6", "shiboken6", "pyqtgraph"}
    assert by_name["layers: cli > gui > live > core"]["layers"] == [
        "scoreviz.cli", "scoreviz.gui", "scoreviz.live", "scoreviz.core"]


def test_every_contract_is_kept():
    out = subprocess.run([sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
                          "sys.exit(lint_imports_command())"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = out.stdout + out.stderr
    assert out.returncode == 0, report[-4000:]
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in report
