"""The README's configuration example and Python snippet must keep working."""

from __future__ import annotations

import re
from pathlib import Path

from thresher.cli.main import RUN_EXAMPLE
from thresher.pipeline import Pipeline, run_options_from_config

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_yaml_builds(tmp_path: Path) -> None:
    import yaml

    (block,) = _blocks("yaml")
    config = yaml.safe_load(block)
    pipe = Pipeline.from_config(config)
    assert pipe.names == ["normalize", "segment", "gopher_quality", "exact_dedup", "fuzzy_dedup"]
    run_options_from_config(config)


def test_cli_run_example_builds() -> None:
    import yaml

    text = RUN_EXAMPLE.split("example pipeline.yaml:\n", 1)[1].split("\n\n")[0]
    config = yaml.safe_load("\n".join(line[2:] for line in text.splitlines()))
    assert Pipeline.from_config(config).names[-1] == "exact_dedup"


def test_readme_python_snippet_builds_its_pipeline() -> None:
    (block,) = [b for b in _blocks("python") if "build_step" in b]
    start = block.index("pipe = Pipeline(")
    end = block.index("])", start) + 2
    namespace: dict[str, object] = {}
    exec(
        "from thresher import Pipeline\nfrom thresher.steps import build_step\n" + block[start:end],
        namespace,
    )
    assert namespace["pipe"].names == ["normalize", "gopher_quality", "exact_dedup"]  # type: ignore[attr-defined]
