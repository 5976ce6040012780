from __future__ import annotations

from pathlib import Path

import pytest

from thresher.errors import ConfigError
from thresher.pipeline import DEFAULT_STEPS, Pipeline, load_config, run_options_from_config
from thresher.steps.registry import available_steps, build_step, canonical_name


def test_every_default_step_is_registered() -> None:
    assert set(DEFAULT_STEPS) <= set(available_steps())


def test_versioned_names() -> None:
    assert canonical_name("normalize_v2") == "normalize"
    with pytest.raises(ConfigError, match="normalize_v2, not version 9"):
        canonical_name("normalize_v9")


def test_unknown_step_names_choices() -> None:
    with pytest.raises(ConfigError, match=r"unknown step 'nope'; choose from: .*normalize"):
        build_step("nope")


def test_unknown_setting_and_bad_value() -> None:
    with pytest.raises(
        ConfigError, match="unknown setting 'colour'; choose from: fix_unicode, unescape_html, form"
    ):
        build_step("normalize", {"colour": 1})
    with pytest.raises(ConfigError, match="setting 'min_chars' must be int, got 'x'"):
        build_step("normalize", {"min_chars": "x"})


def test_yaml_pipeline(tmp_path: Path) -> None:
    cfg = tmp_path / "p.yaml"
    cfg.write_text(
        "workers: 1\nformat: parquet\nsteps:\n  - normalize: {min_chars: 5}\n", encoding="utf-8"
    )
    config = load_config(cfg)
    pipe = Pipeline.from_config(config)
    assert pipe.names == ["normalize"] and pipe.steps[0].settings()["min_chars"] == 5
    assert run_options_from_config(config)["format"] == "parquet"


def test_yaml_mistakes_are_one_line(tmp_path: Path) -> None:
    cfg = tmp_path / "p.yaml"
    cfg.write_text("wokers: 2\nsteps: [normalize]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key\\(s\\) wokers; choose from"):
        load_config(cfg)
    cfg.write_text("steps:\n  - normalize: {form: NFX}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="form must be one of"):
        Pipeline.from_config(load_config(cfg))
    cfg.write_text("format: xml\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="format must be one of jsonl, parquet"):
        run_options_from_config(load_config(cfg))
    cfg.write_text("steps: [normalize\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(cfg)


def test_only_and_skip_over_default() -> None:
    assert Pipeline.default(only=["normalize"]).names == ["normalize"]
    names = Pipeline.default(skip=["fuzzy_dedup", "toxicity_v2"]).names
    assert "fuzzy_dedup" not in names and "toxicity" not in names and names[0] == "normalize"
    with pytest.raises(ConfigError, match="choose from"):
        Pipeline.default(only=["normalise"])
    with pytest.raises(ConfigError, match="not both"):
        Pipeline.default(only=["normalize"], skip=["segment"])


def test_run_option_typo() -> None:
    with pytest.raises(ConfigError, match="unknown run option\\(s\\) worker"):
        Pipeline.default(only=["normalize"]).run(["x"], "y", worker=2)


def test_empty_field_names_and_zones_without_segment(tmp_path: Path) -> None:
    # Both had run to the end: every record an error ("no '' field"), or
    # --keep-zones writing no zones. Now they stop before any work.
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "a", "text": "hello"}\n')
    with pytest.raises(ConfigError, match="text_field must name a field"):
        Pipeline.default(only=["language"]).run([str(src)], str(tmp_path / "o1"), text_field="")
    with pytest.raises(ConfigError, match=r"keep_zones .* needs the segment step"):
        Pipeline.default(only=["language"]).run([str(src)], str(tmp_path / "o2"), keep_zones=True)
    assert not (tmp_path / "o1").exists() and not (tmp_path / "o2").exists()
