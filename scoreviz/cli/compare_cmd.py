"""``scoreviz compare``: trains several objectives side by side on one density and writes
curves.csv, summary.json and compare.png into ``--out DIR``."""

from __future__ import annotations

import json

from scoreviz.cli.config import session_config_from_args
from scoreviz.cli.errors import CliError
from scoreviz.cli.out_dir import check_out_dir
from scoreviz.cli.progress import Progress
from scoreviz.core.atomic import write_files
from scoreviz.core.compare import Comparison, curves_csv_text, parse_objectives


def cmd_compare(args) -> int:
    """Train every configuration in lockstep, evaluating every ``--eval-every`` steps; the files are written
    last, as a set (all or none)."""
    base = session_config_from_args(args)
    objectives = parse_objectives(args.objectives, args.options, base=base.objective)
    if args.eval_every > args.steps:
        raise CliError(f"--eval-every {args.eval_every} is larger than --steps {args.steps}")
    comparison = Comparison(base, objectives)
    folder = check_out_dir(args.out)  # nothing is created before the files are ready
    progress = Progress(args.steps, "compare")
    try:
        comparison.evaluate()
        for k in range(1, args.steps + 1):
            comparison.step()
            if k % args.eval_every == 0 or k == args.steps:
                comparison.evaluate()
            progress.update(k)
        progress.close()
        if args.sample:
            comparison.sample_scores(args.sample, seed=base.seed)
        from scoreviz.gui.offscreen.compare_render import render_compare_png  # lazy: Qt loads only to draw the figure

        png = render_compare_png(comparison, args.size)
    except BaseException:
        progress.close()
        raise
    summary = {"density": args.density, "steps": args.steps, "seed": base.seed,
               "device": str(comparison.sessions[0].device), "configurations": comparison.summary()}
    write_files(folder, {"curves.csv": curves_csv_text(comparison.curves).encode("utf-8"),
                         "summary.json": (json.dumps(summary, indent=2) + "\n").encode("utf-8"),
                         "compare.png": png})
    for lab, row in summary["configurations"].items():
        print(f"{lab:28s} relative Fisher {row['relative_fisher_divergence']:.4g}  "
              f"loss {row['final_loss']:.4g}  {row['steps_per_second'] or 0:.0f} steps/s"
              + (f"  KL {row['kl']:.3g}  sliced W {row['sliced_wasserstein']:.3g} ({row['sampler']})" if "kl" in row else ""))
    print(f"wrote {folder}/curves.csv, summary.json, compare.png")
    return 0
