"""Training in a process of its own, so that the window's Python never holds it up.

Why: a training step of the default model is mostly Python and short torch calls, and a thread
needs the interpreter lock between every two of them (about 350 a step). In one process the GUI
thread's and the display thread's Python (painting, titles, numpy glue) take that lock from the
training thread; measured, a thread that runs Python half of the time halves training. A process
has a lock of its own.

How (the ``Trainer`` stays the owner of the Session; this module is its engine while it runs):

- ``TrainProcess`` starts a child (a fresh interpreter: no fork of a process with Qt threads) that
  imports torch and the core and says "ready". Until then the Trainer trains in its own thread.
- While training runs and no command is pending, the Trainer hands the training over: ``run``
  sends the state a training step changes (``session_state``: weights, Adam's moments, the two
  generators' states, the step count, the Fisher curve's schedule) and, when the session's set-up
  changed, its config and density. The child trains exactly as ``Trainer.tick`` would, the same
  steps in the same order (``same bits``: the tests compare the weights with in-thread training),
  evaluates the Fisher curve on the same schedule, and sends ``Progress`` at the display rate: the
  newest weights as numpy arrays, the new losses and curve points.
- Before any command (Pause, a new setting, a call that reads the Session) the Trainer takes the
  training back (``stop``): the child finishes its step and returns its state, which the Trainer
  loads into its Session, so every command sees exactly the session it would have seen.
- A training fault in the child (a non-finite loss, out of memory, a GPU failure) comes back as
  the ``faults.Fault`` the thread would have made, with the state before the failed step.
- If the child dies, ``ProcessLost`` is raised to the Trainer, which goes back to the state it
  handed over and trains in its own thread from there.

No Qt here: the child imports only the core and ``scoreviz.live``.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from typing import Any

from multiprocessing.connection import Client, Listener

from scoreviz.live.commands import FISHER_SAMPLES, FRAME_INTERVAL_S
from scoreviz.live.faults import OUT_OF_MEMORY, fault_from, free_device_memory

STOP_TIMEOUT_S = 60.0  # a step (or a Fisher point) in flight finishes first; a child silent this long is lost
START_TIMEOUT_S = 120.0  # importing torch in the child; after that the Trainer stops waiting for it


class ProcessLost(RuntimeError):
    """The training process died or stopped answering."""


@dataclass
class Progress:
    """What the child reports while it trains (at most once per display interval)."""

    step: int
    weights_version: int
    weights: dict | None  # name -> numpy array (None: unchanged since the last report)
    losses: Any  # numpy float64 array of the losses since the last report
    fisher: list  # new (step, F, relative F) points
    curve_fraction: float  # the Fisher curve's share of the child's training time


@dataclass
class Handback:
    """The child's final report: the last ``Progress`` and the state to load (``load_state``)."""

    progress: Progress
    state: dict
    curve: Any
    last_fisher_step: int


# ---------------------------------------------------------------------- the wire
def _send(conn, msg) -> None:
    """Plain pickle: the connection's own pickler would pass tensors as shared memory (torch registers
    its reducers there), which a child started as a fresh interpreter cannot open."""
    conn.send_bytes(pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL))


def _recv(conn):
    return pickle.loads(conn.recv_bytes())


# ---------------------------------------------------------------------- state
def session_state(session) -> dict:
    """What a training step changes, on the CPU and detached (so it pickles the same from any device)."""
    def cpu(v):
        return v.detach().to("cpu", copy=True) if hasattr(v, "detach") else v

    opt = session.optimizer.state_dict()
    opt = {"state": {k: {n: cpu(t) for n, t in st.items()} for k, st in opt["state"].items()},
           "param_groups": opt["param_groups"]}
    return {"model": {k: cpu(v) for k, v in session.model.state_dict().items()}, "optimizer": opt,
            "generator": session.generator.get_state(), "noise_generator": session.noise_generator.get_state(),
            "step_count": int(session.step_count), "weights_version": int(session.weights_version),
            "training": bool(session.model.training)}


def load_state(session, state: dict) -> None:
    """Make ``session`` continue exactly from ``state`` (``session_state`` of a session of the same set-up)."""
    session.model.load_state_dict(state["model"])
    session.optimizer.load_state_dict(state["optimizer"])
    session.generator.set_state(state["generator"])
    session.noise_generator.set_state(state["noise_generator"])
    session.step_count = int(state["step_count"])
    session.weights_version = int(state["weights_version"])
    session.model.train(state.get("training", True))


def weights_numpy(session) -> dict:
    return {k: v.detach().to("cpu").numpy().copy() for k, v in session.model.state_dict().items()}


# ---------------------------------------------------------------------- the parent's handle
class TrainProcess:
    """The parent's handle on the child (one per Trainer; made in the training thread).

    The child is a fresh interpreter (``python -c``, not ``multiprocessing``'s spawn, which would
    run the parent's main script again in the child) that connects back to a local listener with a
    random key; ``ready()`` becomes True once it has loaded torch.
    """

    def __init__(self, threads: int | None = 1):
        self._listener = Listener(authkey=(key := os.urandom(32)))
        env = dict(os.environ, SCOREVIZ_TRAIN_ADDRESS=repr(self._listener.address), SCOREVIZ_TRAIN_KEY=key.hex())
        code = f"from scoreviz.live.train_process import child_entry; child_entry({threads!r})"
        self.proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdin=subprocess.DEVNULL)
        self.conn = None
        self._accepting = threading.Thread(target=self._accept, name="scoreviz-training-accept", daemon=True)
        self._accepting.start()
        self._started = time.perf_counter()
        self._ready = False
        self.failed = False  # the child died or never became ready: the Trainer trains in its own thread
        self.running = False  # the child is training (between run() and stop())
        self._setup_sent = None  # the set-up the child's Session was built for (``run``'s ``setup_id``)

    def _accept(self) -> None:
        try:
            self.conn = self._listener.accept()
        except Exception:  # closed before the child connected, or a stranger without the key
            pass

    def ready(self) -> bool:
        """True once the child has loaded torch (never blocks)."""
        if self._ready or self.failed:
            return self._ready
        try:
            if self.conn is None:
                if self.proc.poll() is not None or time.perf_counter() - self._started > START_TIMEOUT_S:
                    self.failed = True
                    self.close()
            elif self.conn.poll():
                self._ready = _recv(self.conn) == ("ready",)
                self.failed = not self._ready
            elif self.proc.poll() is not None or time.perf_counter() - self._started > START_TIMEOUT_S:
                self.failed = True
        except (EOFError, OSError):
            self.failed = True
        return self._ready

    def run(self, session, setup_id: int, run: dict) -> None:
        """Hand training over: the child trains ``session`` from its current state until ``stop()``.
        ``setup_id`` names the session's set-up (config, density, model; the Trainer numbers them): when
        it is the last run's the child reuses its Session; otherwise it gets the config and the density.
        Raises ProcessLost (the child is gone) or the pickling error of a density that cannot be sent."""
        setup = None
        if setup_id != self._setup_sent:
            setup = (session.cfg, session.density)
        msg = ("run", setup, session_state(session), run)
        self._send(msg)
        self._setup_sent = setup_id
        self.running = True

    def poll(self, timeout: float) -> list:
        """The child's messages within ``timeout`` s (``Progress`` and ``("fault", Fault)``)."""
        out = []
        try:
            if self.conn.poll(timeout):
                while self.conn.poll():
                    out.append(_recv(self.conn))
        except (EOFError, OSError) as e:
            self._lost()
            raise ProcessLost(str(e) or "the training process ended") from None
        if not out and self.proc.poll() is not None:
            self._lost()
            raise ProcessLost(f"the training process ended (exit code {self.proc.returncode})")
        return out

    def stop(self) -> tuple[list, Handback]:
        """Take training back: the messages still in flight, then the child's ``Handback``."""
        self._send(("stop",))
        pending, deadline = [], time.perf_counter() + STOP_TIMEOUT_S
        while True:
            left = deadline - time.perf_counter()
            for m in self.poll(max(0.0, min(left, 1.0))):
                if isinstance(m, Handback):
                    self.running = False
                    return pending, m
                pending.append(m)
            if left <= 0:
                self._lost()
                raise ProcessLost(f"the training process did not answer within {STOP_TIMEOUT_S:g} s")

    def close(self) -> None:
        """End the child (the training thread is ending)."""
        if self.conn is not None:
            try:
                _send(self.conn, ("quit",))
            except (OSError, ValueError):
                pass
        try:
            self.proc.wait(2.0)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(2.0)
        if self._accepting.is_alive():  # the child never connected: wake the listener's accept
            try:
                Client(self._listener.address, authkey=b"-").close()
            except Exception:
                pass
        self._listener.close()
        if self.conn is not None:
            self.conn.close()
        self.running = False

    def _send(self, msg) -> None:
        try:
            _send(self.conn, msg)
        except (OSError, EOFError, BrokenPipeError) as e:
            self._lost()
            raise ProcessLost(str(e) or "the training process ended") from None

    def _lost(self) -> None:
        self.failed, self.running, self._ready = True, False, False
        if self.proc.poll() is None:
            self.proc.kill()


# ---------------------------------------------------------------------- the child
def child_entry(threads: int | None) -> None:
    """The child's entry (``python -c``): connect to the parent, then ``child_main``."""
    import ast

    address = ast.literal_eval(os.environ.pop("SCOREVIZ_TRAIN_ADDRESS"))
    key = bytes.fromhex(os.environ.pop("SCOREVIZ_TRAIN_KEY"))
    with Client(address, authkey=key) as conn:
        child_main(conn, threads)


def child_main(conn, threads: int | None) -> None:
    """The child's loop: ``("run", setup, state, run)`` trains until ``("stop",)``; ``("quit",)`` ends."""
    import torch

    from scoreviz.core.session import Session

    if threads:
        torch.set_num_threads(int(threads))
    _send(conn, ("ready",))
    session = None
    while True:
        try:
            msg = _recv(conn)
        except (EOFError, OSError):
            return
        if msg[0] == "quit":
            return
        if msg[0] != "run":
            continue
        _, setup, state, run = msg
        if setup is not None:
            cfg, density = setup
            session = Session(replace(cfg, threads=None), density=density)
        load_state(session, state)
        if not _train(conn, session, run):
            return


def _train(conn, session, run: dict) -> bool:
    """Train until "stop" (then hand back) exactly as ``Trainer.tick`` would. False: the parent is gone."""
    import numpy as np

    curve, last_fisher = run["curve"], int(run["last_fisher_step"])
    curves, speed = bool(run["curves"]), run["speed"]
    losses_sent, fisher_sent = len(session.loss_history), len(session.fisher_history)
    version_sent = None
    next_step_t, tick_t = 0.0, None
    faulted = False

    def progress() -> Progress:
        nonlocal losses_sent, fisher_sent, version_sent
        weights = None
        if session.weights_version != version_sent:
            weights, version_sent = weights_numpy(session), session.weights_version
        losses = np.asarray(session.loss_history[losses_sent:], dtype=np.float64)
        fisher = list(session.fisher_history[fisher_sent:])
        losses_sent, fisher_sent = len(session.loss_history), len(session.fisher_history)
        return Progress(session.step_count, session.weights_version, weights, losses, fisher,
                        curve.fraction if curve is not None else 0.0)

    def fisher_point() -> None:
        nonlocal last_fisher
        if session.step_count == last_fisher or not curves or curve is None or not curve.due(session.step_count):
            return
        last_fisher = session.step_count
        t0 = time.perf_counter()
        try:
            session.fisher(n=FISHER_SAMPLES)
        except Exception:  # a diverged model can make F non-finite; the loss already reports it
            pass
        curve.record(session.step_count, time.perf_counter() - t0)

    try:
        while True:
            if faulted:
                timeout = 0.1
            elif speed is not None:
                timeout = min(0.1, max(0.0, next_step_t - time.perf_counter()))
            else:
                timeout = 0.0
            if conn.poll(timeout):
                msg = _recv(conn)
                if msg[0] == "stop":
                    break
                if msg[0] == "quit":
                    return False
            if faulted:
                continue
            now = time.perf_counter()
            if tick_t is not None and curve is not None:  # the curve's budget grows with run time
                curve.add_run_time(min(now - tick_t, 1.0))
            tick_t = now
            t_end = now + FRAME_INTERVAL_S
            while time.perf_counter() < t_end:
                if speed is not None:
                    if next_step_t > time.perf_counter():
                        break
                    next_step_t = max(next_step_t, time.perf_counter() - 0.25) + 1.0 / speed
                try:
                    session.step()
                except Exception as e:  # as Trainer._train_one: the fault pauses, the weights are the last good ones
                    fault = fault_from(e, step=session.step_count + 1)
                    faulted = True
                    break
            if faulted:
                if fault.kind == OUT_OF_MEMORY:
                    free_device_memory()
                _send(conn, progress())
                _send(conn, ("fault", fault))
                continue
            fisher_point()
            if session.weights_version != version_sent or len(session.fisher_history) != fisher_sent:
                _send(conn, progress())
        _send(conn, Handback(progress(), session_state(session), curve, last_fisher))
        return True
    except (EOFError, OSError):
        return False
