"""The live package runs without Qt, and its loops load torch only when they start."""

from __future__ import annotations

import subprocess
import sys

QT = ("PySide6", "shiboken6", "pyqtgraph")

CODE = """
import sys
from scoreviz.live import brush, commands, compare_display, compare_trainer, evaluator, faults, mailbox, raster, trainer
# torch loads in the worker threads, not when the window imports the loops
assert 'torch' not in sys.modules, 'importing the live loops loaded torch'
from scoreviz.core.compare import parse_objectives
from scoreviz.core.models import ModelConfig
from scoreviz.core.session import SamplerConfig, SessionConfig
cfg = SessionConfig(model=ModelConfig(hidden=16, layers=1), batch=32, device='cpu', sampler=SamplerConfig(n_particles=100))
t = trainer.Trainer(cfg, threads=1)
assert t.start()
t.handle(commands.Step())
t.publish(force=True)
frame = evaluator.Evaluator(display_dtype='float32').frame(t.publish_box.take(), evaluator.ViewSettings(grid=8))
assert frame.state.step == 1 and frame.snapshot.learned.shape == (8, 8, 2)
c = compare_trainer.CompareTrainer(cfg, parse_objectives('esm,dsm'), threads=1)
assert c.start()
c.handle(commands.Step())
compare_display.CompareDisplay('float32').frame(c.publish(), compare_display.CompareView(grid=8))
print(sorted(m for m in sys.modules if m.split('.')[0] in %r))
""" % (QT,)


def test_the_live_loops_never_import_qt():
    r = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout
