from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest
from conftest import write_jsonl

from thresher.cli.main import build_parser, main


@pytest.mark.parametrize("command", ["clean", "run", "inspect", "demo"])
def test_every_command_help_has_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "example" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("thresher ")


def test_clean_only_normalize_jsonl_and_parquet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": "cafÃ©  au lait"}, b"{bad"])
    assert (
        main(
            [
                "clean",
                str(a),
                "-o",
                str(tmp_path / "o"),
                "--only",
                "normalize",
                "--workers",
                "1",
                "--no-progress",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "input" in out and "errors (see errors.jsonl)" in out
    with gzip.open(tmp_path / "o" / "kept" / "part-00000.jsonl.gz") as fh:
        rec = orjson.loads(fh.readline())
    assert rec["text"] == "café au lait" and rec["id"] == "1"
    assert (
        main(
            [
                "clean",
                str(a),
                "-o",
                str(tmp_path / "p"),
                "--only",
                "normalize",
                "--workers",
                "1",
                "--format",
                "parquet",
                "--no-progress",
            ]
        )
        == 0
    )
    table = pq.read_table(tmp_path / "p" / "kept" / "part-00000.parquet")
    assert table.column("text").to_pylist() == ["café au lait"]


def test_config_mistake_fails_before_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [{"text": "x"}])
    rc = main(["clean", str(a), "-o", str(tmp_path / "o"), "--skip", "normalise"])
    err = capsys.readouterr().err
    assert rc == 2 and "unknown step 'normalise'" in err and err.count("\n") == 1
    assert not (tmp_path / "o").exists()
    rc = main(["clean", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o")])
    assert rc == 2 and "does not exist" in capsys.readouterr().err


def test_strict_exit_code_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [{"text": "x"}, b"{bad"])
    rc = main(
        [
            "clean",
            str(a),
            "-o",
            str(tmp_path / "o"),
            "--only",
            "normalize",
            "--strict",
            "--workers",
            "1",
        ]
    )
    assert rc == 1 and f"{a}:2" in capsys.readouterr().err


def test_run_yaml(tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [{"text": "hello"}])
    cfg = tmp_path / "p.yaml"
    cfg.write_text(
        f"inputs: [{a}]\noutput: {tmp_path / 'o'}\nworkers: 1\nprogress: false\nsteps: [normalize]\n"
    )
    assert main(["run", str(cfg)]) == 0
    assert (tmp_path / "o" / "stats.json").exists()


def test_inspect_shows_signals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = write_jsonl(
        tmp_path / "a.jsonl", [{"id": "a", "text": "one"}, {"id": "b", "text": "two\x00"}]
    )
    assert main(["inspect", str(a), "--id", "b", "--only", "normalize", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "document b" in out and "normalize_changed" in out and "kept" in out


def test_console_script_entry_point() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "thresher.cli.main", "--version"], capture_output=True, text=True
    )
    assert r.returncode == 0 and "thresher" in r.stdout
    assert build_parser().prog == "thresher"


def test_import_is_light() -> None:
    code = "import sys, thresher; bad = [m for m in ('numpy', 'pyarrow', 'ray', 'ftfy', 'sklearn') if m in sys.modules]; print(bad)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "[]"
