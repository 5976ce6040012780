"""The ``thresher`` command line (DESIGN.md contract)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from thresher._version import __version__
from thresher.errors import ConfigError, InputError, OutputError, StepError, ThresherError

CLEAN_EXAMPLE = """examples:
  thresher clean crawl/*.jsonl.gz -o out/
  thresher clean dump/ -o out/ --workers 8 --format parquet --keep-zones
  thresher clean pages.jsonl -o langs/ --only normalize,segment,language
  thresher clean pages.jsonl -o out/ --skip fuzzy_dedup,toxicity --strict"""

RUN_EXAMPLE = """example pipeline.yaml:
  inputs: [crawl/]
  output: out/
  workers: 8
  steps:
    - normalize
    - segment
    - gopher_quality: {min_words: 30}
    - exact_dedup

  thresher run pipeline.yaml"""

INSPECT_EXAMPLE = """examples:
  thresher inspect pages.jsonl.gz --id news-00017
  thresher inspect article.txt"""

DEMO_EXAMPLE = """example:
  thresher demo -o demo-out/"""


def _names(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: every core)"
    )
    p.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="stop at the first unreadable record, naming its file and line",
    )
    p.add_argument("--executor", choices=["local", "ray"], default=None)
    p.add_argument(
        "--ray-address",
        default=None,
        help="address of a running Ray cluster (default: start a local one)",
    )
    p.add_argument(
        "--format",
        choices=["jsonl", "parquet"],
        default=None,
        help="output format (default jsonl, gzip)",
    )
    p.add_argument(
        "--keep-zones",
        action="store_true",
        default=None,
        help="write zone offsets into the original text in each record",
    )
    p.add_argument(
        "--keep-edits",
        action="store_true",
        default=None,
        help="write every line a step took out into the record's 'edits' (audit trail)",
    )
    p.add_argument(
        "--text-field", default=None, help="JSONL/Parquet field holding the text (default: text)"
    )
    p.add_argument("--id-field", default=None, help="field holding the document id (default: id)")
    p.add_argument(
        "--chunk-mb",
        type=float,
        default=None,
        help="input MB per task and output shard (default 32)",
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        default=None,
        help="replace an earlier run in the output folder",
    )
    p.add_argument("--no-progress", dest="progress", action="store_false", default=None)


def _run_overrides(args: argparse.Namespace) -> dict[str, Any]:
    o = {
        "workers": args.workers,
        "strict": args.strict,
        "executor": args.executor,
        "ray_address": args.ray_address,
        "format": args.format,
        "keep_zones": args.keep_zones,
        "keep_edits": args.keep_edits,
        "text_field": args.text_field,
        "id_field": args.id_field,
        "overwrite": args.overwrite,
        "progress": args.progress,
    }
    if args.chunk_mb is not None:
        o["chunk_bytes"] = int(args.chunk_mb * (1 << 20))
    return {k: v for k, v in o.items() if v is not None}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thresher",
        description="Turn raw web-scraped text into clean, deduplicated, safe corpora.",
        epilog="examples:\n  thresher demo\n  thresher clean crawl/*.jsonl.gz -o out/\n"
        "  thresher inspect out/removed/part-00000.jsonl.gz",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"thresher {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    fmt = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser(
        "clean",
        help="clean a corpus with the default pipeline (or --config)",
        epilog=CLEAN_EXAMPLE,
        formatter_class=fmt,
    )
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="files, folders or globs (.txt, .jsonl[.gz|.zst], .parquet, .warc[.gz], .wet[.gz])",
    )
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output folder")
    p.add_argument(
        "--config", metavar="FILE", help="pipeline YAML (default: the built-in pipeline)"
    )
    p.add_argument(
        "--only", type=_names, metavar="NAMES", help="run only these steps, comma-separated"
    )
    p.add_argument(
        "--skip", type=_names, metavar="NAMES", help="run every step but these, comma-separated"
    )
    _add_run_options(p)

    p = sub.add_parser(
        "run",
        help="run everything from a pipeline YAML file",
        epilog=RUN_EXAMPLE,
        formatter_class=fmt,
    )
    p.add_argument("config", metavar="PIPELINE.yaml")
    p.add_argument("-o", "--output", default=None, metavar="OUT", help="override the file's output")
    _add_run_options(p)

    p = sub.add_parser(
        "inspect",
        help="show one document: zones, signals, why anything was removed",
        epilog=INSPECT_EXAMPLE,
        formatter_class=fmt,
    )
    p.add_argument("input", metavar="INPUT")
    p.add_argument("--id", default=None, help="the document's id (default: the first document)")
    p.add_argument("--config", metavar="FILE")
    p.add_argument("--only", type=_names, metavar="NAMES")
    p.add_argument("--skip", type=_names, metavar="NAMES")
    p.add_argument("--text-field", default="text")
    p.add_argument("--id-field", default="id")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto")

    p = sub.add_parser(
        "demo",
        help="build the sample corpus and clean it",
        epilog=DEMO_EXAMPLE,
        formatter_class=fmt,
    )
    p.add_argument("-o", "--output", default="thresher-demo", metavar="OUT")
    p.add_argument("--docs", type=int, default=3000, help="documents to generate (default 3000)")
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--executor", choices=["local", "ray"], default="local")
    return parser


def _pipeline(config: dict[str, Any] | None, only: list[str] | None, skip: list[str] | None):
    from thresher.pipeline import Pipeline

    if config is not None:
        return Pipeline.from_config(config, only=only, skip=skip)
    return Pipeline.default(only=only, skip=skip)


def cmd_clean(args: argparse.Namespace) -> int:
    from thresher.pipeline import load_config, run_options_from_config

    config = load_config(args.config) if args.config else None
    opts = run_options_from_config(config or {}, **_run_overrides(args))
    pipe = _pipeline(config, args.only, args.skip)
    return _run(pipe, args.inputs, args.output, opts)


def cmd_run(args: argparse.Namespace) -> int:
    from thresher.pipeline import load_config, run_options_from_config

    config = load_config(args.config)
    inputs = config.get("inputs")
    if isinstance(inputs, str):
        inputs = [inputs]
    if not inputs:
        raise ConfigError(f"{args.config}: add 'inputs: [files or folders]'")
    output = args.output or config.get("output")
    if not output:
        raise ConfigError(f"{args.config}: add 'output: FOLDER' (or pass -o)")
    opts = run_options_from_config(config, **_run_overrides(args))
    return _run(_pipeline(config, None, None), inputs, output, opts)


def _run(pipe: Any, inputs: Sequence[str], output: str, opts: dict[str, Any]) -> int:
    from thresher.report.stats import format_summary

    stats = pipe.run(list(inputs), output, **opts)
    print(format_summary(stats, output))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from thresher.demo import generate
    from thresher.pipeline import Pipeline
    from thresher.report.stats import format_summary

    root = Path(args.output)
    inputs = generate(root / "input", n_docs=args.docs)
    print(f"generated {args.docs:,} documents in {root / 'input'}", file=sys.stderr)
    out = root / "output"
    opts: dict[str, Any] = {"overwrite": True, "executor": args.executor}
    if args.workers is not None:
        opts["workers"] = args.workers
    stats = Pipeline.default().run([str(p) for p in inputs], out, **opts)
    print(format_summary(stats, str(out)))
    from thresher.demo.score import format_scores, score

    print("\nagainst the corpus's ground truth:")
    print(format_scores(score(out)))
    print(
        f"\nkept documents: {out / 'kept'}\nremoved (with reasons): {out / 'removed'}\n"
        f"look at one: thresher inspect {inputs[0]} --id demo-000000"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "clean":
            return cmd_clean(args)
        if args.command == "run":
            return cmd_run(args)
        if args.command == "inspect":
            from thresher.cli.inspect import cmd_inspect

            return cmd_inspect(args)
        if args.command == "demo":
            return cmd_demo(args)
    except ConfigError as exc:
        print(f"thresher: configuration error: {exc}", file=sys.stderr)
        return 2
    except (InputError, OutputError, StepError) as exc:
        print(f"thresher: error: {exc}", file=sys.stderr)
        return 1
    except ThresherError as exc:
        print(f"thresher: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("thresher: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
