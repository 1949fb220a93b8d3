"""The status bar's messages of the live loops in the interface's language: every message a Trainer sends with
``on_message`` is a composed text (``core.text.Composed``) that is English as a ``str`` (logs, the tests, the
command line) and Korean in the window with the Korean translation installed; so are the sampler refusals the
sampler section shows and the objective change the Session reports."""

from __future__ import annotations

import pickle
import re
from dataclasses import replace

import pytest
from PySide6 import QtCore

from helpers import hangul, small_config
from scoreviz.core.densities import make_preset
from scoreviz.core.errors import ScorevizError
from scoreviz.core.generation import time_sampler_refusal
from scoreviz.core.models import ModelConfig
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.samplers import annealed_refusal
from scoreviz.core.session import SamplerConfig, SessionConfig
from scoreviz.core.text import Composed
from scoreviz.gui import i18n
from scoreviz.live.commands import (Reset, ResetParticles, SetDensity, SetModel, SetObjective, SetOptimizer,
                                    SetSampler, SetSeed, Step)
from scoreviz.live.compare_trainer import CompareTrainer
from scoreviz.live.trainer import Trainer

NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _config() -> SessionConfig:
    return small_config(model=ModelConfig(hidden=16, layers=2), batch=32, device="cpu",
                        sampler=SamplerConfig(n_particles=60))


def _drive() -> list:
    """A real Trainer through the commands the window sends; returns the messages it sent (in order)."""
    messages, failures = [], []
    t = Trainer(_config(), threads=1, on_message=messages.append, on_failed=failures.append)
    assert t.start()
    sampler = t.cfg.sampler
    for cmd in (Step(), Step(), Reset(), SetOptimizer(lr=0.002, batch=48),
                SetSampler(replace(sampler, step_size=0.02)),
                SetSampler(replace(sampler, score_source="true")),
                SetObjective(ObjectiveConfig(name="esm")),  # the same network: training continues
                SetObjective(ObjectiveConfig(name="ncsn")),  # noise conditioning on
                SetObjective(ObjectiveConfig(name="sde")),  # noise conditioning off, time conditioning on
                SetSampler(replace(sampler, sampler="reverse-sde", diffusion_steps=40)),
                SetSampler(replace(sampler, sampler="forward")),
                ResetParticles(), SetDensity(make_preset("moons")),
                SetModel(ModelConfig(hidden=24, layers=2, time_conditional=True)), SetSeed(7)):
        before = len(messages)
        t.handle(cmd)
        assert not failures, (cmd, failures)
        assert len(messages) == before + 1, cmd  # every command says what it did, once
    t.close()
    return messages


EXPECTED = [  # the English texts, exactly as they were written before they were composed
    re.compile(r"one step: step 1, loss \S+"), re.compile(r"one step: step 2, loss \S+"),
    "reset: a fresh model from the seed; step 0",
    "optimiser: lr 0.002, batch 48; training continues",
    "sampler: langevin, step size 0.02, 60 particles, learned score",
    "sampler: langevin, step size 0.01, 60 particles, true score",
    "objective esm: training continues from the current model",
    "objective ncsn: model reset (noise conditioning on)",
    "objective sde: model reset (noise conditioning off, time conditioning on)",
    "sampler: reverse-sde, 40 steps from the prior at t = 1, 60 particles, learned score",
    "sampler: forward, data noised to the time shown, 60 particles, learned score",
    "particles restarted",
    "density moons: training continues from the current model",
    "model 24x2 silu vector: a fresh model, step 0",
    "seed 7: a fresh model on cpu, step 0",
]


def _english_as_before(messages) -> None:
    assert len(messages) == len(EXPECTED)
    for m, want in zip(messages, EXPECTED):
        assert isinstance(m, Composed) and m.template, m
        if isinstance(want, str):
            assert str(m) == want
        else:
            assert want.fullmatch(str(m)), m


def test_every_status_message_of_the_trainer_is_english_as_a_str(qapp):
    assert i18n.active_language() == "en"
    messages = _drive()
    _english_as_before(messages)
    for m in messages:
        assert i18n.text_of(m) == str(m)  # without a translation the window shows exactly the text
        g = pickle.loads(pickle.dumps(m))
        assert type(g) is Composed and str(g) == str(m) and (g.template, g.values) == (m.template, m.values)


def test_every_status_message_of_the_trainer_shows_in_korean(korean):
    messages = _drive()
    _english_as_before(messages)  # the texts themselves stay English
    for m in messages:
        shown = i18n.text_of(m)
        assert hangul(shown) and shown != str(m), shown
        for number in NUMBER.findall(str(m)):
            assert number in shown, (number, shown)
    shown = [i18n.text_of(m) for m in messages]
    assert shown[0].startswith("한 스텝: 스텝 1, 손실 ")
    assert shown[3] == "옵티마이저: 학습률 0.002, 배치 48; 학습이 이어집니다"
    assert "참 스코어" in shown[5] and "학습된 스코어" in shown[4]
    assert "노이즈 조건부 끔" in shown[8] and "시간 조건부 켬" in shown[8] and "conditioning" not in shown[8]
    assert "moons" in shown[12]
    assert shown[14] == "시드 7: cpu에서 새 모델, 스텝 0"  # the why ("seed 7") is translated too


def test_the_compare_trainer_s_messages_show_in_korean(korean):
    messages, failures = [], []
    t = CompareTrainer(_config(), [ObjectiveConfig(name="dsm"), ObjectiveConfig(name="esm")], threads=1,
                       on_message=messages.append, on_failed=failures.append)
    assert t.start()
    for cmd in (Step(), Reset(), SetSeed(3), SetDensity(make_preset("moons"))):
        t.handle(cmd)
    assert not failures and len(messages) == 4
    assert [str(m) for m in messages] == [
        "one step: step 1", "reset: fresh models from the seed for every configuration; step 0",
        "seed 3: fresh models for every configuration, step 0",
        "density moons: every configuration starts over from the seed"]
    for m in messages:
        shown = i18n.text_of(m)
        assert isinstance(m, Composed) and hangul(shown), shown
        assert all(n in shown for n in NUMBER.findall(str(m)))


def test_sampler_refusals_show_in_korean(korean):
    annealed = annealed_refusal("learned", False)
    assert str(annealed).startswith("annealed Langevin needs the score at every noise level")
    assert hangul(i18n.text_of(annealed)) and "ncsn" in i18n.text_of(annealed)
    timed = time_sampler_refusal("pf-ode", "dsm")
    assert str(timed) == "sampler pf-ode needs a process: choose objective sde"
    assert hangul(i18n.text_of(timed)) and "pf-ode" in i18n.text_of(timed)
    # the Session's own refusal keeps the template (a refused file or setting reaches the banner in Korean)
    with pytest.raises(ScorevizError) as info:
        SessionConfig(sampler=SamplerConfig(sampler="pf-ode"))
    assert str(info.value) == str(timed) and i18n.text_of(info.value) == i18n.text_of(timed)


def test_the_window_shows_the_trainer_s_messages_and_the_sampler_refusals_in_korean(korean, qtbot, make_window):
    w = make_window(_config())
    bar = w.statusBar()
    # a message of the training thread, through the trainer's ``message`` signal (queued to the GUI thread)
    w.trainer.post(Step())
    qtbot.waitUntil(lambda: bar.currentMessage().startswith("한 스텝: 스텝 1, 손실 "), timeout=20000)
    w.trainer.post(SetOptimizer(lr=0.003, batch=40))
    qtbot.waitUntil(lambda: bar.currentMessage() == "옵티마이저: 학습률 0.003, 배치 40; 학습이 이어집니다",
                    timeout=20000)
    # the sampler section's disabled items say why in Korean (objective dsm, a learned score not noise-conditional)
    w.controls.sampler.set_noise_conditional(False)
    kind = w.controls.sampler.kind
    role = QtCore.Qt.ItemDataRole.ToolTipRole
    for name in ("annealed", "pf-ode"):
        tip = kind.itemData(kind.findText(name), role)
        assert tip.startswith("사용할 수 없음: ") and hangul(tip[len("사용할 수 없음: "):]), tip
