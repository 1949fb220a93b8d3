"""Typed commands: each trainer declares the command types it handles, and refuses the others."""

from __future__ import annotations

import dataclasses

import pytest

from live_helpers import Recorder, small_config
from scoreviz.core.compare import parse_objectives
from scoreviz.core.errors import ScorevizError
from scoreviz.live.commands import (Call, Command, CommandHandler, Figure, Load, Pause, Play, Rebuild, Reset,
                                    ResetParticles, SetConfigs, SetDensity, SetDevice, SetEvalEvery, SetModel,
                                    SetObjective, SetOptimizer, SetSampler, SetSeed, Speed, Step, Summary, WarmUp)
from scoreviz.live.compare_trainer import CompareTrainer
from scoreviz.live.trainer import Trainer

BOTH = {Play, Pause, Step, Reset, WarmUp, Speed, SetDensity, SetSeed}
MAIN_ONLY = {SetObjective, SetModel, SetOptimizer, SetSampler, ResetParticles, SetDevice, Rebuild, Load, Call}
COMPARE_ONLY = {SetConfigs, SetEvalEvery, Figure, Summary}
# the names faults have always given the commands ("the reset particles change failed: ...")
OLD_NAMES = {Play: "play", Pause: "pause", Step: "step", Reset: "reset", WarmUp: "warm_up", Speed: "speed",
             SetDensity: "density", SetObjective: "objective", SetModel: "model", SetOptimizer: "optimizer",
             SetSampler: "sampler", ResetParticles: "reset_particles", SetDevice: "device", SetSeed: "seed",
             Rebuild: "rebuild", Load: "load", Call: "call", SetConfigs: "configs", SetEvalEvery: "eval_every",
             Figure: "figure", Summary: "summary"}


def _any(kind: type[Command]) -> Command:
    """An instance of ``kind`` with placeholder fields (the handler is replaced where it matters)."""
    return kind(*[None for _ in dataclasses.fields(kind)])


def _trainers():
    rec = Recorder()
    cfg = small_config()
    return rec, [rec.trainer(cfg), CompareTrainer(cfg, parse_objectives("esm,dsm"), threads=1,
                                                  on_failed=rec.failures.append)]


def test_every_command_type_is_handled_by_the_trainers_that_should():
    assert set(Command.__subclasses__()) == BOTH | MAIN_ONLY | COMPARE_ONLY == set(OLD_NAMES)
    assert set(Trainer.COMMANDS) == BOTH | MAIN_ONLY
    assert set(CompareTrainer.COMMANDS) == BOTH | COMPARE_ONLY
    for cls in (Trainer, CompareTrainer):
        for kind, method in cls.COMMANDS.items():
            assert callable(getattr(cls, method)) and cls.check(_any(kind)) == method
    assert {k: k.NAME for k in OLD_NAMES} == OLD_NAMES
    assert {k for k in OLD_NAMES if k.PAUSES} == {Play, Step}


def test_commands_are_frozen_values():
    assert SetOptimizer(1e-3, 64) == SetOptimizer(lr=1e-3, batch=64) and Play() == Play() != Pause()
    with pytest.raises(dataclasses.FrozenInstanceError):
        SetSeed(1).seed = 2


@pytest.mark.parametrize("cmd", ["step", ("step", None), None, Play, SetConfigs([]), Load(None)])
def test_a_typo_or_a_foreign_command_is_refused_by_name(cmd):
    _, (t, c) = _trainers()
    refused = [t] if isinstance(cmd, SetConfigs) else [c] if isinstance(cmd, Load) else [t, c]
    for trainer in refused:
        with pytest.raises(TypeError, match=type(trainer).__name__) as e:
            trainer.handle(cmd)
        assert (type(cmd).__name__ if isinstance(cmd, Command) else repr(cmd)) in str(e.value)


def test_a_refused_command_keeps_its_fault_message_word_for_word(monkeypatch):
    rec, trainers = _trainers()
    for trainer in trainers:
        for kind, method in type(trainer).COMMANDS.items():
            monkeypatch.setattr(trainer, method, lambda cmd: (_ for _ in ()).throw(RuntimeError("boom")))
            trainer.handle(_any(kind))
            assert rec.failures[-1].startswith(f"the {OLD_NAMES[kind].replace('_', ' ')} change failed: boom")
            # bad input leaves training as it was, except for Play and Step
            monkeypatch.setattr(trainer, method, lambda cmd: (_ for _ in ()).throw(ScorevizError("bad")))
            trainer.running = True
            trainer.handle(_any(kind))
            assert rec.failures[-1] == "bad" and trainer.running == (kind not in (Play, Step))
            trainer.running = False


def test_a_handler_must_say_which_command_type_it_applies():
    with pytest.raises(TypeError, match="_cmd_play"):
        type("Untyped", (CommandHandler,), {"_cmd_play": lambda self, cmd: None})
    with pytest.raises(TypeError, match="_cmd_again"):
        class Twice(CommandHandler):
            def _cmd_again(self, cmd: Speed):
                pass
