"""The ``scoreviz`` command line.

``scoreviz``            opens the app (also ``scoreviz gui``)
``scoreviz list``       densities, objectives, samplers, activations, with their parameters
``scoreviz train``      trains headless and writes field.npz, metrics.json and the model
``scoreviz sample``     runs a sampler with the true or a trained score, writes particles (.npy); the
                      reverse-time samplers of a forward process too (reverse-sde, pf-ode, pc)
``scoreviz likelihood`` log p of exact samples by the probability-flow ODE, writes likelihood.npz/.json
``scoreviz evaluate``   scores samples (.npy) against the exact density, writes the scorecard (.json)
``scoreviz identities`` measures the score-matching identities of a trained model, writes them (.json)
``scoreviz compare``    trains several objectives side by side; writes curves.csv, summary.json, compare.png
``scoreviz bench``      the app's reference scene, timed (opens the real window, offscreen if needed)
``scoreviz snapshot``   trains headless, renders the app's panels to a PNG
``scoreviz animate``    trains headless, writes an MP4 or GIF of the app's panels as it learns
``scoreviz lesson``     renders a lesson headless, scene by scene with its captions, to an MP4 or GIF

Bad input exits with code 2 and one line on stderr; so does every failure to write (a full disk, a
folder in the way, a name too long ...), and nothing of the failed run is left behind (see
``scoreviz.core.atomic``); a diverged training run exits with code 3.
The GUI is imported lazily, only for the commands that need it.

One module per command (``list_cmd``, ``train_cmd``, ``sample_cmd``, ``compare_cmd``, ``animate_cmd``,
``app_cmds``, ``likelihood_cmd``, ``identities_cmd``, ``lesson_cmd``; ``sample_process`` runs ``sample`` with a forward process), the parser
in ``parser``, the forward-process options in ``sde_args``, and ``config``: the CLI is the only reader of argparse
Namespaces and hands a :class:`~scoreviz.core.session.SessionConfig` to everything below it.
"""

from __future__ import annotations

import sys

from scoreviz.cli.animate_cmd import cmd_animate
from scoreviz.cli.app_cmds import cmd_bench, cmd_gui, cmd_snapshot
from scoreviz.cli.compare_cmd import cmd_compare
from scoreviz.cli.config import session_config_from_args
from scoreviz.cli.errors import EXIT_BAD_INPUT, EXIT_DIVERGED, CliError, os_error_line
from scoreviz.cli.evaluate_cmd import cmd_evaluate
from scoreviz.cli.identities_cmd import cmd_identities
from scoreviz.cli.lesson_cmd import cmd_lesson
from scoreviz.cli.likelihood_cmd import cmd_likelihood
from scoreviz.cli.list_cmd import cmd_list
from scoreviz.cli.parser import add_training_options, build_parser
from scoreviz.cli.sample_cmd import cmd_sample
from scoreviz.cli.train_cmd import cmd_train
from scoreviz.core.errors import DivergedError, ScorevizError
from scoreviz.core.text import plain

__all__ = ["COMMANDS", "CliError", "EXIT_BAD_INPUT", "EXIT_DIVERGED", "add_training_options", "build_parser",
           "main", "session_config_from_args"]

COMMANDS = {"list": cmd_list, "train": cmd_train, "sample": cmd_sample, "evaluate": cmd_evaluate, "compare": cmd_compare,
            "likelihood": cmd_likelihood, "identities": cmd_identities,
            "gui": cmd_gui, "bench": cmd_bench, "snapshot": cmd_snapshot, "animate": cmd_animate,
            "lesson": cmd_lesson}


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code (0, 2 for bad input, 3 for a diverged run, 130 on Ctrl-C)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or (len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in COMMANDS):
        argv = ["gui", *argv]
    try:
        args = build_parser().parse_args(argv)
        if args.command is None:
            args = build_parser().parse_args(["gui"])
        return COMMANDS[args.command](args)
    except (CliError, ScorevizError) as e:
        print(f"scoreviz: error: {plain(str(e).splitlines()[0] if str(e) else type(e).__name__)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except DivergedError as e:
        print(f"scoreviz: error: {plain(e)}", file=sys.stderr)
        return EXIT_DIVERGED
    except OSError as e:  # not named by the write helpers (they raise WriteError, a ScorevizError): still one line
        print(f"scoreviz: error: {plain(os_error_line(e))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("scoreviz: interrupted", file=sys.stderr)
        return 130
