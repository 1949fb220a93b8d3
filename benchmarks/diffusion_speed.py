"""Speed of the continuous-time pieces (objective sde, the diffusion samplers, the likelihood, the app
generating), each against a baseline measured in the same run.

    .venv/bin/python benchmarks/diffusion_speed.py [--seconds 2] [--repeats 3] [--threads 1] [--quick]
                                                   [--tables 1,2,3,4] [--app-seconds 8] [--device cpu]

1. Training steps/s of ``Session.step`` with objective ``sde`` (vp, 8gaussians, the default model 3x128
   time-conditional, batch 512) against a bare torch loop of score_sde's continuous loss
   (``losses.get_sde_loss_fn(continuous=True, reduce_mean=True)``: t ~ U(eps, 1), z, x_t = mean + std z,
   score = model(x_t, t) / std, losses = (score std + z)^2 averaged over the dimensions, then over the
   batch, one Adam step) on the same architecture (a ``ScoreModel(ModelConfig(time_conditional=True))``),
   batch and threads.  Target: scoreviz >= 0.9 x bare.
2. Samples/s of each diffusion sampler on 10 000 particles with the learned model (briefly trained: an
   adaptive solver's NFE depends on the field, the fixed-step samplers' cost does not), 100 steps:
   reverse-sde, pf-ode euler / heun / rk45 (rtol = atol = 1e-3 and 1e-5), pc; with the NFE.  Baseline:
   the Langevin sampler (``scoreviz.core.samplers.langevin``) for the same number of score evaluations,
   so ``ratio`` = the sampler's time / Langevin's time is the overhead per score evaluation (1 = none).
3. Likelihood (``core.likelihood.log_likelihood``, the PF-ODE with the exact divergence) in seconds per
   1 000 points at rtol = atol = 1e-5 and 1e-3, with the NFE.  Baseline: the same number of plain
   (no-grad, float32) score evaluations on the same points; ``ratio`` = likelihood / baseline.
4. The app: the main window offscreen, objective sde, training, trails on, for ``--app-seconds``; first
   with the Langevin sampler (the baseline), then reverse-sde (diffusion_steps large enough not to
   finish), 3 000 particles each: fps, frame p95, training steps/s and the train ratio against headless
   ``Session.step`` training measured in the same process just before and just after the window (the mean).
   Targets: fps >= 50, p95 <= 33 ms, train ratio >= 0.8.  Each window runs in its own subprocess and
   trains as the app does (in its training process, ``live/train_process.py``, unless the environment
   says SCOREVIZ_TRAIN_PROCESS=0); a third window, reverse-sde training in the thread as before
   (SCOREVIZ_TRAIN_PROCESS=0), shows what the process is worth in the same run.

Every rate is the median of ``--repeats`` alternating rounds (A B A B ...), each round at least
``--seconds`` long (a sampler round: whole runs, at least one), so a drift of a shared machine hits both
sides.  ``--quick`` is a smoke run (tiny sizes, short rounds): its figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

import torch

from scoreviz.core import samplers
from scoreviz.core.diffusion import DiffusionRun, pf_ode
from scoreviz.core.likelihood import log_likelihood
from scoreviz.core.models import ModelConfig, ScoreModel
from scoreviz.core.objectives import ObjectiveConfig
from scoreviz.core.session import SamplerConfig, Session, SessionConfig
from scoreviz.core.time_score import model_score_fn, sde_score

BATCH = 512
PARTICLES = 10_000
STEPS = 100
APP_PARTICLES = 3000
APP_DIFFUSION_STEPS = 10_000  # at most one step a frame (< 60/s): a generation that cannot finish while measured
LIKELIHOOD_POINTS = 1000
TARGET_TRAIN = 0.9
APP_TARGETS = {"fps": 50.0, "p95_ms": 33.0, "train_ratio": 0.8}


def sde_config(device: str, sampler: SamplerConfig | None = None, batch: int = BATCH) -> SessionConfig:
    return SessionConfig(density="8gaussians", objective=ObjectiveConfig(name="sde", sde="vp"),
                         model=ModelConfig(time_conditional=True), batch=batch, seed=0, device=device,
                         sampler=sampler if sampler is not None else SamplerConfig(n_particles=16))


# --------------------------------------------------------------------------- timing
def rate(step, seconds: float) -> float:
    """Calls of ``step`` per second over at least ``seconds`` (at least one call)."""
    n, t0 = 0, time.perf_counter()
    while True:
        step()
        n += 1
        t = time.perf_counter() - t0
        if t >= seconds:
            return n / t


def alternate(fns: list, seconds: float, repeats: int) -> list[float]:
    """Median calls/s of each of ``fns``, measured in ``repeats`` alternating rounds."""
    rates: list[list[float]] = [[] for _ in fns]
    for _ in range(max(1, repeats)):
        for i, fn in enumerate(fns):
            rates[i].append(rate(fn, seconds))
    return [statistics.median(r) for r in rates]


def fmt(v, spec: str = ".1f") -> str:
    return "-" if v is None or (isinstance(v, float) and not math.isfinite(v)) else format(v, spec)


# --------------------------------------------------------------------------- 1. training
def bare_sde_loop(density, device, batch: int):
    """step() of a hand-written score_sde continuous vp loss (reduce_mean=True) on the same architecture."""
    cfg = ObjectiveConfig(name="sde", sde="vp")
    beta_0, beta_1 = cfg.beta_min, cfg.beta_max
    eps = 1e-3  # score_sde's default sampling_eps / loss eps for vp
    torch.manual_seed(0)
    model = ScoreModel(ModelConfig(time_conditional=True)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator(device=device).manual_seed(0)

    def step():
        x = density.sample(batch, gen).to(device)
        t = torch.rand(x.shape[0], generator=gen, device=device) * (1.0 - eps) + eps
        z = torch.randn(x.shape, generator=gen, device=device)
        log_mean_coeff = -0.25 * t ** 2 * (beta_1 - beta_0) - 0.5 * t * beta_0  # VPSDE.marginal_prob
        mean = torch.exp(log_mean_coeff)[:, None] * x
        std = torch.sqrt(1.0 - torch.exp(2.0 * log_mean_coeff))
        perturbed = mean + std[:, None] * z
        score = model(perturbed, t) / std[:, None]  # get_score_fn, continuous vp: model output / std
        losses = torch.square(score * std[:, None] + z)
        losses = torch.mean(losses.reshape(losses.shape[0], -1), dim=-1)  # reduce_mean=True
        loss = torch.mean(losses)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return step


def table_training(args) -> None:
    session = Session(sde_config(args.device))
    bare = bare_sde_loop(session.density, session.device, BATCH)
    for _ in range(args.warmup):  # allocator, autograd caches
        bare(), session.step()
    rb, rs = alternate([bare, session.step], args.seconds, args.repeats)
    ratio = rs / rb if rb > 0 else float("nan")
    print(f"\n1. Training, objective sde (vp), 8gaussians, model 3x128 silu time-conditional, batch {BATCH}, "
          f"threads {args.threads}, device {session.device}")
    print(f"{'loop':34s} {'steps/s':>9s}")
    print(f"{'bare score_sde loss (baseline)':34s} {rb:9.1f}")
    print(f"{'scoreviz Session.step':34s} {rs:9.1f}")
    print(f"ratio scoreviz / bare = {ratio:.3f} (target >= {TARGET_TRAIN}): "
          f"{'PASS' if ratio >= TARGET_TRAIN else 'FAIL'}")


# --------------------------------------------------------------------------- 2. samplers
def trained_session(args, steps: int) -> Session:
    session = Session(sde_config(args.device))
    session.train(steps)
    session.model.eval()
    return session


def table_samplers(args, session: Session) -> None:
    sde, model, device = session.sde, session.model, session.device
    score_fn = model_score_fn(model, sde)
    gen = torch.Generator(device=device).manual_seed(1)
    x0 = sde.prior_sample(args.particles, gen).to(device)
    t_eps = sde.t_eps
    steps = args.steps

    def langevin_fn(nfe: int):
        lgen = torch.Generator(device=device).manual_seed(2)
        return lambda: samplers.langevin(x0, lambda x: score_fn(x, t_eps), 0.01, nfe, lgen)

    def diffusion_fn(method: str, **kw):
        dgen = torch.Generator(device=device).manual_seed(3)
        nfe = {}

        def run():
            if kw.get("solver") == "rk45":
                r = pf_ode(x0, score_fn, sde, solver="rk45", steps=steps, rtol=kw["rtol"], atol=kw["atol"])
            else:
                r = DiffusionRun(x0, score_fn, sde, method, steps=steps, generator=dgen, **kw).run()
            nfe["n"] = r.nfe
            return r

        return run, nfe

    rows = [("reverse-sde", "reverse-sde", {}),
            ("pf-ode euler", "pf-ode", {"solver": "euler"}),
            ("pf-ode heun", "pf-ode", {"solver": "heun"})]
    rows += [(f"pf-ode rk45 tol {tol:g}", "pf-ode", {"solver": "rk45", "rtol": tol, "atol": tol}) for tol in args.tols]
    rows.append(("pc (1 corrector)", "pc", {}))

    print(f"\n2. Samplers, {args.particles} particles, learned model (vp, trained {session.step_count} steps), "
          f"{steps} steps, threads {args.threads}, device {device}")
    print("   baseline: Langevin for the same number of score evaluations; ratio = sampler time / Langevin time")
    print(f"{'sampler':24s} {'NFE':>6s} {'samples/s':>11s} {'s/run':>8s} {'ms/NFE':>8s} "
          f"{'langevin samples/s':>19s} {'langevin ms/NFE':>16s} {'ratio':>7s}")
    for label, method, kw in rows:
        try:
            run, nfe = diffusion_fn(method, **kw)
            run()  # warm-up, and the NFE (rk45: the solver's own count)
            n = nfe["n"]
            base = langevin_fn(n)
            base()
            r_run, r_base = alternate([run, base], args.seconds, args.repeats)
            t_run, t_base = 1.0 / r_run, 1.0 / r_base
            print(f"{label:24s} {n:6d} {args.particles / t_run:11.0f} {t_run:8.3f} {1000 * t_run / n:8.3f} "
                  f"{args.particles / t_base:19.0f} {1000 * t_base / n:16.3f} {t_run / t_base:7.3f}")
        except Exception as e:  # a slow or broken sampler must not end the benchmark
            print(f"{label:24s} error: {type(e).__name__}: {str(e).splitlines()[0][:100] if str(e) else ''}")


# --------------------------------------------------------------------------- 3. likelihood
def table_likelihood(args, session: Session) -> None:
    sde, model, device = session.sde, session.model, session.device
    gen = torch.Generator(device=device).manual_seed(4)
    x = session.density.sample(args.points, gen).to(device)
    grad_score = lambda xx, t: sde_score(model, sde, xx.float(), t.float()).double()  # noqa: E731
    plain = model_score_fn(model, sde)
    t_mid = torch.full((x.shape[0],), 0.5, device=device)

    print(f"\n3. Likelihood (PF-ODE, dopri5, exact divergence, float64) of {args.points} points of 8gaussians, "
          f"threads {args.threads}, device {device}")
    print("   baseline: NFE plain score evaluations (no grad, float32) of the same points; ratio = likelihood / baseline")
    print(f"{'tolerance':10s} {'NFE':>6s} {'s per 1000 pts':>15s} {'ms/NFE':>8s} {'baseline s/1000':>16s} "
          f"{'baseline ms/NFE':>16s} {'ratio':>7s} {'mean log p':>11s}")
    for tol in args.like_tols:
        try:
            out = {}

            def run():
                lp, n = log_likelihood(x, grad_score, sde, rtol=tol, atol=tol)
                out["nfe"], out["mean"] = n, float(lp.mean())

            run()  # warm-up and the NFE
            n = out["nfe"]

            def base():
                for _ in range(n):
                    plain(x, t_mid)

            base()
            r_run, r_base = alternate([run, base], args.seconds, args.repeats)
            scale = 1000.0 / args.points
            t_run, t_base = scale / r_run, scale / r_base
            print(f"{tol:<10g} {n:6d} {t_run:15.3f} {1000 * t_run / n / scale:8.3f} {t_base:16.3f} "
                  f"{1000 * t_base / n / scale:16.3f} {t_run / t_base:7.2f} {out['mean']:11.3f}")
        except Exception as e:
            print(f"{tol:<10g} error: {type(e).__name__}: {str(e).splitlines()[0][:100] if str(e) else ''}")


# --------------------------------------------------------------------------- 4. the app
def measure_window(sampler: str, seconds: float, threads: int, device: str, particles: int) -> dict:
    """One main window (objective sde, training, trails on, ``sampler``) measured for ``seconds``, then
    headless training of the same config; a dict for one JSON line.  The window lives only in here."""
    from scoreviz.gui.bench import headless_steps_per_s, measure_running
    from scoreviz.gui.qt_app import application, dispose
    from scoreviz.gui.windows.main_window import MainWindow

    app = application()
    headless_s = max(2.0, min(seconds, 10.0) / 2)
    sc = SamplerConfig(sampler=sampler, n_particles=particles, steps_per_frame=1, score_source="learned",
                       diffusion_steps=APP_DIFFUSION_STEPS)
    cfg = sde_config(device, sampler=sc)
    density = Session(cfg).density
    before = headless_steps_per_s(cfg, density, threads, headless_s)  # and after the window: the machine drifts
    window = MainWindow(cfg, threads=threads, autoplay=True, interactive=False)  # app.quit() must not ask
    window.show()
    window.controls.display.grid.setValue(int(cfg.grid))
    window.controls.display.trails.setChecked(True)
    window.start()
    measured = measure_running(app, window, seconds, timeout_s=90.0)
    failure = window.banner.text()
    frame = window.last_frame
    note = frame.sampler_note if frame is not None else ""
    trails = getattr(frame, "trails", None) if frame is not None else None
    dispose(window)
    del window, frame

    if "error" in measured:
        return {"sampler": sampler, "error": failure or measured["error"]}
    after = headless_steps_per_s(cfg, density, threads, headless_s)
    headless = (before + after) / 2
    train = measured["train_steps_per_s"]
    out = {"sampler": sampler, "fps": measured["fps"], "frame_ms_p50": measured["frame_ms_p50"],
           "frame_ms_p95": measured["frame_ms_p95"], "train_steps_per_s": train,
           "headless_train_steps_per_s": round(headless, 1), "headless_before_after": [round(before, 1), round(after, 1)],
           "train_ratio": round(train / headless, 3) if headless > 0 else None,
           "trails_drawn": trails is not None, "note": note, "seconds": measured["seconds"]}
    if failure:
        out["error"] = failure
    return out


def window_subprocess(args, sampler: str, process: bool = True) -> dict:
    """One window in its own process; ``process=False``: its training in the training thread
    (SCOREVIZ_TRAIN_PROCESS=0), the app's way before it trained in a process of its own."""
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    if not process:
        env["SCOREVIZ_TRAIN_PROCESS"] = "0"
    cmd = [sys.executable, os.path.abspath(__file__), "--window", sampler, "--app-seconds", str(args.app_seconds),
           "--threads", str(args.threads), "--device", args.device, "--app-particles", str(args.app_particles)]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=180 + 3 * args.app_seconds)
    except subprocess.TimeoutExpired:
        return {"sampler": sampler, "error": "the window's process timed out", "process": process}
    lines = [line for line in r.stdout.splitlines() if line.strip().startswith("{")]
    if not lines:
        tail = (r.stderr.strip().splitlines() or ["no output"])[-1]
        return {"sampler": sampler, "error": f"exit {r.returncode}: {tail[:160]}", "process": process}
    out = json.loads(lines[-1])
    out["exit_code"] = r.returncode
    out["process"] = process
    return out


def reference_subprocess(args) -> dict:
    """`scoreviz bench` (the app's reference scene, whose targets the app's other scenes are held to) in
    its own process, for the same seconds: how much training this machine keeps beside any display now."""
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    cmd = [sys.executable, "-m", "scoreviz", "bench", "--seconds", str(args.app_seconds), "--threads", str(args.threads),
           "--device", args.device]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=180 + 3 * args.app_seconds)
    except subprocess.TimeoutExpired:
        return {"error": "scoreviz bench timed out"}
    lines = [line for line in r.stdout.splitlines() if line.strip().startswith("{")]
    if not lines:
        return {"error": f"exit {r.returncode}: {(r.stderr.strip().splitlines() or ['no output'])[-1][:160]}"}
    return json.loads(lines[-1])


def table_app(args) -> None:
    where = "a display" if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") else "offscreen"
    print(f"\n4. The app (main window, {where}), "
          f"objective sde (vp), training, trails on, {args.app_particles} particles, {args.app_seconds:g} s each, "
          f"threads {args.threads}")
    print(f"   targets: fps >= {APP_TARGETS['fps']:g}, p95 <= {APP_TARGETS['p95_ms']:g} ms, "
          f"train ratio >= {APP_TARGETS['train_ratio']:g} (window steps/s / headless Session.step steps/s)")
    reference = reference_subprocess(args)
    rows = [window_subprocess(args, "langevin"), window_subprocess(args, "reverse-sde"),
            window_subprocess(args, "reverse-sde", process=False)]
    print(f"{'sampler':22s} {'fps':>6s} {'p50 ms':>7s} {'p95 ms':>7s} {'train/s':>8s} {'headless/s':>11s} "
          f"{'ratio':>6s} {'exit':>4s}  targets (fps, p95, ratio)")
    base_fps, in_process = None, None
    for r in rows:
        label = "langevin (baseline)" if r["sampler"] == "langevin" else r["sampler"]
        if not r.get("process", True):
            label += ", thread"
        if "fps" not in r:
            print(f"{label:22s} error: {r.get('error')}")
            continue
        ok = [r["fps"] >= APP_TARGETS["fps"], r["frame_ms_p95"] <= APP_TARGETS["p95_ms"],
              (r["train_ratio"] or 0) >= APP_TARGETS["train_ratio"]]
        print(f"{label:22s} {r['fps']:6.1f} {fmt(r['frame_ms_p50'], '.1f'):>7s} {fmt(r['frame_ms_p95'], '.1f'):>7s} "
              f"{r['train_steps_per_s']:8.1f} {r['headless_train_steps_per_s']:11.1f} {fmt(r['train_ratio'], '.3f'):>6s} "
              f"{r.get('exit_code', '?')!s:>4s}  {' '.join('ok' if o else 'MISS' for o in ok)}")
        print(f"{'':22s} particles: {r.get('note', '')!r}; trails drawn: {r.get('trails_drawn')}; "
              f"headless before/after the window: {r.get('headless_before_after')}"
              + (f"; error: {r['error']}" if r.get("error") else ""))
        if r["sampler"] == "langevin":
            base_fps = r["fps"]
        elif base_fps:
            print(f"{'':22s} fps / langevin fps = {r['fps'] / base_fps:.3f}")
        if r["sampler"] == "reverse-sde" and r.get("process", True):
            in_process = r
        elif in_process is not None and in_process.get("train_ratio") and r.get("train_ratio"):
            print(f"{'':22s} train ratio in the training process / in the thread = "
                  f"{in_process['train_ratio'] / r['train_ratio']:.3f} (what the process is worth)")
        if reference.get("train_ratio"):
            print(f"{'':22s} train ratio / the reference scene's = {r['train_ratio'] / reference['train_ratio']:.3f}")
    if "fps" in reference:
        print(f"{'reference (bench)':22s} {reference['fps']:6.1f} {fmt(reference['frame_ms_p50'], '.1f'):>7s} "
              f"{fmt(reference['frame_ms_p95'], '.1f'):>7s} {reference['train_steps_per_s']:8.1f} "
              f"{reference['headless_train_steps_per_s']:11.1f} {fmt(reference['train_ratio'], '.3f'):>6s}  "
              "(`scoreviz bench`: dsm, 10 000 Langevin particles, measured first in this run; the machine's "
              "present ceiling for the ratio)")
    else:
        print(f"{'reference (bench)':22s} error: {reference.get('error')}")


# --------------------------------------------------------------------------- main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="seconds per measuring round (at least one run)")
    ap.add_argument("--repeats", type=int, default=3, help="alternating rounds per side; the median is printed")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (both sides; the app's training thread)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--quick", action="store_true", help="smoke run: tiny sizes, short rounds (figures meaningless)")
    ap.add_argument("--tables", default="1,2,3,4", help="which tables to print, e.g. 1,2")
    ap.add_argument("--app-seconds", type=float, default=None, help="seconds each window is measured (default max(8, --seconds))")
    ap.add_argument("--app-particles", type=int, default=APP_PARTICLES)
    ap.add_argument("--window", default=None, help=argparse.SUPPRESS)  # internal: one window, one JSON line
    args = ap.parse_args()
    torch.set_num_threads(max(1, args.threads))

    if args.window:
        print(json.dumps(measure_window(args.window, args.app_seconds or 8.0, args.threads, args.device,
                                        args.app_particles)), flush=True)
        return 0

    args.particles, args.steps, args.points, args.warmup = PARTICLES, STEPS, LIKELIHOOD_POINTS, 20
    args.tols, args.like_tols, train_steps = [1e-3, 1e-5], [1e-5, 1e-3], 300
    if args.quick:
        args.seconds, args.repeats, args.warmup = min(args.seconds, 0.05), 1, 2
        args.particles, args.steps, args.points, train_steps = 500, 10, 50, 5
        args.tols, args.like_tols = [1e-3], [1e-3]
        args.app_seconds = args.app_seconds or 2.0
    args.app_seconds = args.app_seconds or max(8.0, args.seconds)
    tables = {s.strip() for s in args.tables.split(",")}

    print(f"diffusion_speed: threads={args.threads} device={args.device} seconds/round={args.seconds:g} "
          f"repeats={args.repeats} cpus={os.cpu_count()} torch={torch.__version__}"
          + (" QUICK (smoke run: figures meaningless)" if args.quick else ""))
    t0 = time.perf_counter()
    if "1" in tables:
        table_training(args)
    if "2" in tables or "3" in tables:
        session = trained_session(args, train_steps)
        if "2" in tables:
            table_samplers(args, session)
        if "3" in tables:
            table_likelihood(args, session)
        del session
    if "4" in tables:
        table_app(args)
    print(f"\n(total {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
