"""Faults of the live loops and refusals of the core in the interface's language (issue 15): a Fault and a
composed ScorevizError keep their template and values; the window shows them in Korean with the Korean
translation installed, in English exactly as ``str()``; both survive pickling (sent between processes)."""

from __future__ import annotations

import pickle

import pytest
import torch

from helpers import hangul, plant_config, small_config
from scoreviz.core import limits
from scoreviz.core.errors import DivergedError, ScorevizError
from scoreviz.core.expressions import parse_expression
from scoreviz.core.lesson import LessonError, load_lesson
from scoreviz.core.models import ModelConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig
from scoreviz.core.session_file import load_session, save_session
from scoreviz.core.text import Composed, Phrase
from scoreviz.gui import i18n
from scoreviz.live import commands, faults


def _faults():
    return [
        faults.fault_from(DivergedError(12, float("inf")), step=12),
        faults.fault_from(torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 8.00 GiB"), step=7),
        faults.fault_from(MemoryError(), step=7),
        faults.fault_from(MemoryError()),
        faults.fault_from(torch.AcceleratorError("CUDA error: device-side assert triggered"), step=7),
        faults.fault_from(RuntimeError("mat1 and mat2 shapes cannot be multiplied (4x3 and 2x8)"), step=7),
        faults.fault_from(ValueError("x"), what="the density change"),
        faults.fault_from(KeyError("w"), what="dsm σ=0.1"),  # a configuration's label: shown as it is
        faults.fault_from(ScorevizError("batch=0 is out of range; allowed 1..65536")),  # not composed
        faults.display_fault(torch.OutOfMemoryError("CUDA out of memory.")),
        faults.display_fault(MemoryError()),
        faults.display_fault(ValueError("bad view")),
    ]


def test_in_english_a_fault_shows_exactly_its_text(qapp):
    assert i18n.active_language() == "en"
    for f in _faults():
        assert i18n.text_of(f) == str(f), f
    e = _refusal(lambda: limits.check("lr", 5.0, "optimizer"))
    assert i18n.text_of(e) == str(e) == "optimizer lr=5.0 is out of range; allowed 0 < lr <= 1"


def test_a_fault_shows_in_korean_with_its_values(korean):
    diverged = faults.fault_from(DivergedError(12, float("inf")), step=12)
    shown = i18n.text_of(diverged)
    assert hangul(shown) and "12" in shown and "inf" in shown and "Press Reset" not in shown
    assert shown.startswith("학습")  # "training", the subject, translated too
    assert str(diverged).startswith("training diverged at step 12")  # the text itself stays English

    oom = faults.fault_from(torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 8.00 GiB"), step=4321)
    shown = i18n.text_of(oom)
    assert oom.kind == "out_of_memory" and oom.cpu_fallback
    assert hangul(shown) and "4321" in shown and "GPU" in shown and "CPU" in shown and "ran out" not in shown

    host = i18n.text_of(faults.fault_from(MemoryError(), step=99))
    assert hangul(host) and "99" in host and "GPU" not in host

    # the exception's own line is a value: shown as torch or Python wrote it
    other = i18n.text_of(faults.fault_from(RuntimeError("mat1 and mat2 shapes cannot be multiplied"), step=7))
    assert hangul(other) and "mat1 and mat2 shapes cannot be multiplied" in other and "7" in other
    change = i18n.text_of(faults.fault_from(ValueError("x"), what="the density change"))
    assert "밀도 변경" in change and "the density change" not in change
    label = i18n.text_of(faults.fault_from(KeyError("w"), what="dsm σ=0.1"))
    assert label.startswith("dsm σ=0.1") and hangul(label)
    assert hangul(i18n.text_of(faults.display_fault(ValueError("bad view"))))
    for f in _faults()[:-4]:  # every composed kind has its Korean
        assert i18n.text_of(f) != str(f) and hangul(i18n.text_of(f)), f


def test_every_command_change_is_a_translated_subject():
    changes = {f"the {c.NAME.replace('_', ' ')} change" for c in _subclasses(commands.Command) if c.NAME}
    assert changes and changes <= faults.SUBJECTS, changes - faults.SUBJECTS
    assert isinstance(faults.subject("training"), Phrase) and not isinstance(faults.subject("dsm"), Phrase)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _refusal(fn) -> ScorevizError:
    with pytest.raises(ScorevizError) as info:
        fn()
    return info.value


def test_a_fault_and_a_composed_refusal_survive_pickling():
    for f in _faults():
        f.cfg = small_config()  # a refused setting carries the settings in force
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            g = pickle.loads(pickle.dumps(f, protocol=protocol))
            assert type(g) is faults.Fault and str(g) == str(f)
            assert (g.kind, g.step, g.cpu_fallback) == (f.kind, f.step, f.cpu_fallback)
            assert (g.template, g.values) == (f.template, f.values) and g.cfg == f.cfg
            assert [type(v) for v in g.values.values()] == [type(v) for v in f.values.values()]  # Phrase stays
    e = _refusal(lambda: limits.check("batch", 0))
    g = pickle.loads(pickle.dumps(e))
    assert type(g) is ScorevizError and str(g) == str(e) and (g.template, g.values) == (e.template, e.values)
    nested = ScorevizError.compose("'{name}': {error}", name="x.scoreviz", error=e)
    h = pickle.loads(pickle.dumps(LessonError.like(nested)))
    assert type(h) is LessonError and str(h) == "'x.scoreviz': batch=0 is out of range; allowed 1..65536"
    assert isinstance(h.values["error"], Composed) and h.values["error"].template == e.template


def test_a_refusal_from_the_core_shows_in_korean(korean, tmp_path):
    e = _refusal(lambda: limits.check("lr", 5.0, "optimizer"))
    shown = i18n.text_of(e)
    assert hangul(shown) and "optimizer lr=5.0" in shown and "0 < lr <= 1" in shown and "out of range" not in shown
    assert str(e) == "optimizer lr=5.0 is out of range; allowed 0 < lr <= 1"
    # a refused setting reaches the window as a Fault that keeps the refusal's template
    f = faults.fault_from(e)
    assert f.kind == "input" and str(f) == str(e) and i18n.text_of(f) == shown
    # composed values are rendered too: a lesson's file name, then the parser's refusal
    bad = tmp_path / "bad.lesson.json"
    bad.write_text("{not json", encoding="utf-8")
    lesson = _refusal(lambda: load_lesson(bad))
    assert isinstance(lesson, LessonError) and str(lesson).startswith("'bad.lesson.json': not a scoreviz lesson")
    assert i18n.line_of(lesson).startswith("'bad.lesson.json': ") and hangul(i18n.line_of(lesson))
    expr = _refusal(lambda: parse_expression("foo(x)"))
    assert str(expr).startswith("expression: function 'foo' is not allowed")
    assert i18n.text_of(expr).startswith("수식: 함수 'foo'") and "exp" in i18n.text_of(expr)


def _session_with(tmp_path, name: str, change) -> str:
    small = tmp_path / "small.scoreviz"
    save_session(small, Session(SessionConfig(model=ModelConfig(hidden=8, layers=1), batch=16, device="cpu",
                                              sampler=SamplerConfig(n_particles=10))))
    config = SessionConfig(model=ModelConfig(hidden=8, layers=1), batch=16, device="cpu").to_dict()
    change(config)
    path = tmp_path / name
    plant_config(small, path, config)
    return str(path)


def test_the_window_shows_a_fault_and_a_refused_file_in_korean(korean, qtbot, make_window, tmp_path):
    w = make_window(small_config())
    # a worker's fault, through the slot the trainer's ``failed`` signal reaches
    w._worker_failed(faults.fault_from(torch.OutOfMemoryError("CUDA out of memory."), step=321))
    text = w.banner.text()
    assert hangul(text) and "321" in text and w.statusBar().currentMessage() == text
    assert w.banner.cpu.isVisibleTo(w.banner)  # the GPU failed: the CPU is offered, as in English
    # a session file whose learning rate the limits refuse: the banner says so in Korean
    path = _session_with(tmp_path, "bad_lr.scoreviz", lambda d: d.update(lr=5.0))
    english = _refusal(lambda: load_session(path))
    assert "lr=5.0" in str(english) and "out of range" in str(english)
    assert w.open_path(path)
    qtbot.waitUntil(lambda: w.sessions.opening is None, timeout=20000)
    text = w.banner.text()
    assert text == i18n.line_of(english) and text != str(english)
    assert text.startswith("'bad_lr.scoreviz': ") and "lr=5.0" in text and hangul(text)
    # the work budget's refusal under the Model section (limits.Work.refusal), before anything is sent
    w.controls.model.hidden.setValue(4096)
    err = w.controls.model.error.text()
    assert hangul(err) and "3.36e7" in err and "hidden=4096, layers=3" in err and "5e6" in err
    assert "hidden" in err and "layers" in err and "this configuration" not in err
