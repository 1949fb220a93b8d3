"""The interface in two languages, English and Korean, through Qt's translation system.

In the code every user-visible string of the GUI goes through ``tr("English text")`` (one translation
context, ``scoreviz``: the same English is the same Korean everywhere); a string with values is
``tr("step {n:,}").format(n=step)``, so the translator sees the whole sentence; a literal in a
module-level table is marked ``N_("...")`` and translated where it is shown (``tr(TABLE[key])``: the
table is built at import, before the translator is installed). The command line stays English.

Files (the project's own tooling, ``python -m scoreviz.gui.i18n update|build|check``):

- ``resources/translations/scoreviz_ko.ts``: the source, Qt Linguist's XML (open it in ``pyside6-linguist``).
  ``update`` extracts every ``tr("...")`` literal of ``scoreviz/gui`` (Python's own parser, ``ast``),
  keeps the translations the file has, adds new messages as unfinished and marks the ones no longer in
  the code obsolete; with ``--from FILE.json`` it also fills translations from a {English: Korean} map.
- ``scoreviz/gui/translations/scoreviz_ko.qm``: compiled by ``build`` with Qt's ``lrelease``
  (``pyside6-lrelease``, installed with PySide6); shipped in the package.
- ``check`` exits non-zero when a message of the code is missing or unfinished in the ``.ts`` or the
  ``.qm`` is older than the ``.ts`` (the tests run it).

The language: View ▸ Language (System, English, 한국어) stores the choice in the app's data folder;
it applies after a restart (the windows build their texts once). "System" follows the system locale:
Korean for ``ko*``, English otherwise; ``$SCOREVIZ_LANG`` (en, ko, system) overrides the stored choice.
``gui.app.main`` (the app's entry point) loads the translation before the window is built; the
command line's renderers never load one.

Texts the core and the live loops compose (a Fault of a worker, a ScorevizError refusing a value or a
file) stay English in the core; they keep their template (marked with ``core.text.N_``) and values, and
the GUI shows them through ``text_of`` (``line_of`` for one line of an error): every place that shows a
worker's fault or a refusal to the user (the banner, the status bar, error labels, message boxes).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6 import QtCore

from scoreviz.core.text import Phrase

CONTEXT = "scoreviz"
LANGUAGES = {"en": "English", "ko": "한국어"}
CHOICES = ("system", "en", "ko")
SETTING_FILE = "language.json"
PACKAGE_DIR = Path(__file__).resolve().parent
QM_DIR = PACKAGE_DIR / "translations"
TS_DIR = PACKAGE_DIR.parent.parent / "resources" / "translations"

_translator: QtCore.QTranslator | None = None
_active = "en"


def tr(text: str) -> str:
    """``text`` in the interface's language (itself when there is no translation)."""
    return QtCore.QCoreApplication.translate(CONTEXT, text)


def N_(text: str) -> str:
    """Marks a literal for translation where it is written (a module-level table, evaluated at import,
    before the translator is installed); the code translates it where it is shown: ``tr(TABLE[key])``."""
    return text


def active_language() -> str:
    """The language the interface was built in ("en" or "ko")."""
    return _active


# ---------------------------------------------------------------------------- the setting
def _setting_path() -> Path:
    from scoreviz.gui import app_data  # lazy: app_data makes the data folder

    return app_data.data_dir() / SETTING_FILE


def chosen() -> str:
    """The choice in force: $SCOREVIZ_LANG when set (en, ko or system; the tests use en), else the stored
    one, else "system"."""
    env = os.environ.get("SCOREVIZ_LANG", "").strip().lower()
    if env in CHOICES:
        return env
    try:
        value = json.loads(_setting_path().read_text(encoding="utf-8")).get("language")
    except (OSError, ValueError, AttributeError):
        return "system"
    return value if value in CHOICES else "system"


def choose(choice: str) -> None:
    """Store the choice (applies at the next start)."""
    if choice not in CHOICES:
        raise ValueError(f"language {choice!r} is not one of {', '.join(CHOICES)}")
    from scoreviz.core.atomic import write_text

    write_text(_setting_path(), json.dumps({"language": choice}) + "\n")


def resolve(choice: str, locale_name: str | None = None) -> str:
    """The language a choice means: "system" follows ``locale_name`` (default the system's)."""
    if choice in LANGUAGES:
        return choice
    name = (locale_name if locale_name is not None else QtCore.QLocale.system().name()).lower()
    return "ko" if name.startswith("ko") else "en"


def qm_path(lang: str) -> Path:
    return QM_DIR / f"scoreviz_{lang}.qm"


def install_translator(app, lang: str | None = None) -> str:
    """Load the translation of ``lang`` (default: the stored choice) into ``app``; returns the language in
    force ("en" when its file is missing)."""
    global _translator, _active
    lang = resolve(chosen()) if lang is None else resolve(lang)
    if _translator is not None:
        app.removeTranslator(_translator)
        _translator = None
    _active = "en"
    if lang != "en":
        t = QtCore.QTranslator(app)
        if t.load(str(qm_path(lang))):
            app.installTranslator(t)
            _translator, _active = t, lang
    return _active


# ---------------------------------------------------------------------------- the tooling
CORE_DIR = PACKAGE_DIR.parent / "core"  # the core and the live loops mark the texts the GUI shows with
LIVE_DIR = PACKAGE_DIR.parent / "live"  # ``core.text.N_`` (descriptions, help lines, the sampler's note)


def note_text(frame) -> str:
    """A frame's sampler note in the interface's language (its template translated, then filled)."""
    parts = getattr(frame, "sampler_note_parts", None)
    if not parts:
        return frame.sampler_note
    template, values = parts
    return tr(template).format(**values)


def text_of(obj) -> str:
    """What a text of the core says in the interface's language: a live loop's Fault, a ScorevizError or
    any composed text (``core.text``) with a template is shown as its template translated, then filled
    with its values (a ``Phrase`` translated, a composed value rendered the same way, anything else as
    it is: numbers, names, an exception's own words); any other object as ``str(obj)``. In English it
    is ``str(obj)`` exactly."""
    template = getattr(obj, "template", None)
    if not template:
        return tr(obj) if isinstance(obj, Phrase) else str(obj)
    values = {k: _shown(v) for k, v in obj.values.items()}
    try:
        return tr(template).format(**values)
    except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: the English
        return str(obj)


def _shown(v):
    if isinstance(v, Phrase):
        return tr(v)
    return text_of(v) if getattr(v, "template", None) else v


def line_of(e) -> str:
    """The first line of ``text_of(e)`` (an exception's type name when it says nothing): the one line an
    error label, the banner or the status bar shows for a refusal."""
    lines = text_of(e).strip().splitlines()
    return lines[0] if lines else type(e).__name__


def extract(root: Path = PACKAGE_DIR) -> dict[str, list[str]]:
    """{message: [file:line, ...]} of every ``tr("literal")`` and ``N_("literal")`` call under ``root``,
    then every ``N_("literal")`` of the core (descriptions and help lines the GUI shows)."""
    found: dict[str, list[str]] = {}
    roots = [(root, ("tr", "N_"))] + ([(d, ("N_",)) for d in (CORE_DIR, LIVE_DIR)] if root == PACKAGE_DIR else [])
    for base, names in roots:
        _extract_from(base, names, found)
    return found


def _extract_from(root: Path, names: tuple, found: dict) -> None:
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(PACKAGE_DIR.parent.parent).as_posix()
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, []).append(f"{rel}:{node.lineno}")


def read_ts(path: Path) -> dict[str, tuple[str, bool]]:
    """{source: (translation, finished)} of a .ts file (empty when it does not exist)."""
    if not path.exists():
        return {}
    out = {}
    for msg in ET.parse(path).getroot().iter("message"):
        src = msg.findtext("source") or ""
        t = msg.find("translation")
        text = (t.text or "") if t is not None else ""
        finished = t is not None and t.get("type") not in ("unfinished", "obsolete", "vanished") and bool(text)
        out[src] = (text, finished)
    return out


def write_ts(path: Path, lang: str, messages: dict[str, list[str]], translations: dict[str, tuple[str, bool]]) -> None:
    """The .ts for ``messages`` (in code order) with ``translations``; the ones no longer in the code are kept
    as obsolete (a translator's work is never lost)."""
    from scoreviz.core.atomic import write_text

    ts = ET.Element("TS", version="2.1", language={"ko": "ko_KR"}.get(lang, lang))
    ctx = ET.SubElement(ts, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    for src, places in messages.items():
        m = ET.SubElement(ctx, "message")
        for place in places[:3]:
            file, line = place.rsplit(":", 1)
            ET.SubElement(m, "location", filename="../../" + file, line=line)
        ET.SubElement(m, "source").text = src
        text, finished = translations.get(src, ("", False))
        t = ET.SubElement(m, "translation")
        t.text = text
        if not finished:
            t.set("type", "unfinished")
    for src, (text, _) in translations.items():
        if src not in messages and text:
            m = ET.SubElement(ctx, "message")
            ET.SubElement(m, "source").text = src
            t = ET.SubElement(m, "translation", type="vanished")
            t.text = text
    ET.indent(ts)
    write_text(path, '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
               + ET.tostring(ts, encoding="unicode") + "\n")


def ts_path(lang: str) -> Path:
    return TS_DIR / f"scoreviz_{lang}.ts"


def update(lang: str = "ko", fill: list[Path] = ()) -> tuple[int, int]:
    """Extract, merge and write the .ts; returns (messages, unfinished)."""
    messages = extract()
    translations = read_ts(ts_path(lang))
    for f in fill:
        for src, text in json.loads(Path(f).read_text(encoding="utf-8")).items():
            if isinstance(text, str) and text and not translations.get(src, ("", False))[1]:
                translations[src] = (text, True)
    TS_DIR.mkdir(parents=True, exist_ok=True)
    write_ts(ts_path(lang), lang, messages, translations)
    unfinished = sum(1 for s in messages if not translations.get(s, ("", False))[1])
    return len(messages), unfinished


def lrelease() -> str:
    """The path of Qt's lrelease (PySide6's wrapper first)."""
    for name in ("pyside6-lrelease", "lrelease"):
        exe = shutil.which(name) or (str(Path(sys.executable).parent / name) if (Path(sys.executable).parent / name).exists() else None)
        if exe:
            return exe
    raise FileNotFoundError("Qt's lrelease was not found (it comes with PySide6: pyside6-lrelease)")


def build(lang: str = "ko") -> Path:
    """Compile the .ts into the package's .qm (written atomically)."""
    QM_DIR.mkdir(parents=True, exist_ok=True)
    out = qm_path(lang)
    tmp = out.with_suffix(".qm.tmp")
    r = subprocess.run([lrelease(), str(ts_path(lang)), "-qm", str(tmp)], capture_output=True, text=True)
    if r.returncode != 0 or not tmp.exists():
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"lrelease failed: {(r.stderr or r.stdout).strip().splitlines()[-1:]}")
    os.replace(tmp, out)
    return out


def problems(lang: str = "ko") -> list[str]:
    """What ``check`` reports: messages of the code missing or unfinished in the .ts, a missing or stale .qm."""
    messages = extract()
    translations = read_ts(ts_path(lang))
    out = [f"unfinished: {s!r} ({places[0]})" for s, places in messages.items() if not translations.get(s, ("", False))[1]]
    qm = qm_path(lang)
    if not qm.exists():
        out.append(f"{qm} is missing: run python -m scoreviz.gui.i18n build")
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m scoreviz.gui.i18n", description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("update", "build", "check"))
    ap.add_argument("--lang", default="ko", choices=[k for k in LANGUAGES if k != "en"])
    ap.add_argument("--from", dest="fill", action="append", default=[], metavar="FILE.json",
                    help="translations {English: Korean} to fill in (update)")
    a = ap.parse_args(argv)
    if a.action == "update":
        n, unfinished = update(a.lang, [Path(f) for f in a.fill])
        print(f"{ts_path(a.lang)}: {n} messages, {unfinished} unfinished")
        return 0
    if a.action == "build":
        print(f"wrote {build(a.lang)}")
        return 0
    found = problems(a.lang)
    for line in found[:50]:
        print(line)
    print(f"{len(found)} problem(s)" if found else "translations complete")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
