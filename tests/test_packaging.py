"""Packaging as a user meets it: a built wheel installs and runs; the demo extra is optional."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import maildoctor
from maildoctor.demo.needs import DEMO_PACKAGES, install_command, missing_demo_packages

ROOT = Path(__file__).resolve().parent.parent
BLOCK = "import sys\nfor m in {mods!r}: sys.modules[m] = None\n"
RUN_CLI = "from maildoctor.cli import main\nraise SystemExit(main({argv!r}))\n"


def _without(modules: list[str], argv: list[str], env: dict[str, str]):
    code = BLOCK.format(mods=modules) + RUN_CLI.format(argv=argv)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_demo_extra_matches_the_pyproject_extra():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = set(extra["optional-dependencies"]["demo"])
    assert {requirement for _, requirement in DEMO_PACKAGES} == wanted
    # nothing only the demo uses is a default dependency
    assert not {r.split(">")[0].split("[")[0] for r in wanted} & {
        r.split(">")[0].split("[")[0] for r in extra["dependencies"]
    }


def test_demo_without_its_extra_says_the_install_command(subprocess_env):
    done = _without(["trustme", "moto"], ["demo"], subprocess_env)
    assert done.returncode == 2, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    line = done.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "-m pip install 'trustme>=1.1' 'moto[server]>=5.0'" in line
    assert "aiosmtpd" not in line  # only what is missing


def test_demo_list_without_its_extra_says_the_install_command_too(subprocess_env):
    done = _without([m for m, _ in DEMO_PACKAGES], ["demo", "--list"], subprocess_env)
    assert done.returncode == 2, done.stderr
    assert "-m pip install" in done.stderr and "Traceback" not in done.stderr


def test_missing_packages_are_found_and_the_command_fits_the_installation(monkeypatch):
    assert missing_demo_packages() == []  # the dev install has the extra
    monkeypatch.setitem(sys.modules, "aiosmtplib", None)
    assert missing_demo_packages() == ["aiosmtplib>=3.0"]
    pipx = "/home/someone/.local/share/pipx/venvs/maildoctor"
    assert install_command(["trustme>=1.1"], pipx) == "pipx inject maildoctor 'trustme>=1.1'"
    assert install_command(["trustme>=1.1"], "/srv/venv").endswith("-m pip install 'trustme>=1.1'")


def _copy_source(dest: Path) -> Path:
    """The files a release is built from, without caches or build leftovers."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "src", dest / "src", ignore=ignore)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """``python -m build`` (sdist, then the wheel from the sdist), without the network."""
    tmp = tmp_path_factory.mktemp("build")
    (tmp / "source").mkdir()
    source = _copy_source(tmp / "source")
    out = tmp / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (wheel,) = out.glob("maildoctor-*.whl")
    (sdist,) = out.glob("maildoctor-*.tar.gz")
    return wheel, sdist


def test_wheel_metadata_is_spdx_mit_with_the_licence_and_the_version(built):
    import zipfile

    wheel, sdist = built
    assert wheel.name.startswith(f"maildoctor-{maildoctor.__version__}-py3-none-any")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = zf.read(meta_name).decode()
    assert "License-Expression: MIT" in meta
    assert any(n.endswith("licenses/LICENSE") for n in names)
    assert "Provides-Extra: demo" in meta
    assert not any(line.startswith("Requires-Dist: trustme") and "extra" not in line
                   for line in meta.splitlines())  # fmt: skip
    # every module of the checkout travels in the wheel (the sdist built it), and py.typed
    src = ROOT / "src"
    modules = {p.relative_to(src).as_posix() for p in (src / "maildoctor").rglob("*.py")}
    assert modules <= set(names), sorted(modules - set(names))[:5]
    assert "maildoctor/py.typed" in names


def test_wheel_installs_into_a_fresh_venv_and_runs_the_demo(built, tmp_path, subprocess_env):
    wheel, _ = built
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    target = next((venv / "lib").glob("python3*/site-packages"))
    # Reuse the dependencies already installed here (no network): their folders, as a .pth.
    # A path line does not run that folder's own .pth files, so the editable checkout of
    # maildoctor stays out of reach and only the wheel can answer `import maildoctor`.
    (target / "_reuse_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    py = venv / "bin" / "python"
    subprocess.run(
        [py, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--ignore-installed",
         str(wheel)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    env = dict(subprocess_env, PYTHONPATH=str(ROOT / "tests" / "guard"))
    where = subprocess.run(
        [py, "-c", "import maildoctor; print(maildoctor.__file__)"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(venv)), where.stdout
    exe = venv / "bin" / "maildoctor"
    version = subprocess.run([exe, "--version"], env=env, capture_output=True, text=True)
    assert version.returncode == 0
    assert version.stdout.strip() == f"maildoctor, version {maildoctor.__version__}"
    demo = subprocess.run([exe, "demo"], env=env, capture_output=True, text=True, timeout=180)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "found exactly the expected root causes" in demo.stdout
