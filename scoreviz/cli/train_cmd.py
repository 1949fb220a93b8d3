"""``scoreviz train``: trains headless (or resumes a saved session) and writes field.npz,
model.pt, model.json, metrics.json and session.scoreviz into ``--out DIR``."""

from __future__ import annotations

import json
import time

import torch

from scoreviz.cli.config import session_config_from_args
from scoreviz.cli.out_dir import check_out_dir
from scoreviz.cli.progress import Progress
from scoreviz.core.atomic import write_files
from scoreviz.core.export import field_arrays, model_bytes, model_info, npz_bytes
from scoreviz.core.session import Session
from scoreviz.core.session_file import load_session, session_bytes


def cmd_train(args) -> int:
    """Train, compute the field and the Fisher divergence, then write the files as a set (all or none)."""
    if args.resume:
        session, _view = load_session(args.resume, device=args.device)  # --device overrides the saved one
        if args.field_t is not None:  # objective sde: the fields' time (refused in one line for the others)
            session.set_field_t(args.field_t)
        if args.threads:
            torch.set_num_threads(args.threads)
        cfg = session.cfg
        density_label = args.resume
    else:
        cfg = session_config_from_args(args)
        session = Session(cfg)
        density_label = args.density
    start_step = session.step_count
    folder = check_out_dir(args.out)  # nothing is created before the files are ready
    progress = Progress(args.steps, "train")
    t0 = time.perf_counter()
    try:
        session.train(args.steps, callback=lambda s: progress.update(s.step_count - start_step,
                                                                    f"loss {s.loss_history[-1]:.4g}"))
        seconds = time.perf_counter() - t0
        progress.close()
        fields = field_arrays(session)
        f, rel = session.fisher(10000)
        archive = session_bytes(session)
    except BaseException:
        progress.close()
        raise
    metrics = {
        "density": density_label,
        "objective": cfg.objective.name,
        "steps": session.step_count,
        "steps_this_run": session.step_count - start_step,
        "seed": cfg.seed,
        "device": str(session.device),
        "seconds": seconds,
        "steps_per_second": (session.step_count - start_step) / seconds if seconds > 0 else None,
        "final_loss": session.loss_history[-1],
        "fisher_divergence": f,
        "relative_fisher_divergence": rel,
        "sigma": session.target_sigma,
        "config": cfg.to_dict(),
        "loss_history": list(session.loss_history),
    }
    # everything is computed before the first byte is written; the files land together or not at all
    write_files(folder, {
        "field.npz": npz_bytes(fields),
        "model.pt": model_bytes(session.model),
        "model.json": (json.dumps(model_info(session), indent=2) + "\n").encode("utf-8"),
        "metrics.json": (json.dumps(metrics, indent=2) + "\n").encode("utf-8"),
        "session.scoreviz": archive,
    })
    print(f"trained {session.step_count - start_step} steps in {seconds:.1f} s ({metrics['steps_per_second']:.0f} steps/s) on "
          f"{session.device}; loss {metrics['final_loss']:.4g}, relative Fisher divergence {rel:.4g}; wrote {folder}/")
    return 0
