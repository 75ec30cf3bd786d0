"""Run every benchmark in this folder (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Arguments per script: the scale figures also go into docs/SCALE.md.
ARGS = {"bench_scale.py": ["--write-doc"]}

for script in sorted(HERE.glob("bench_*.py")):
    print(f"== {script.name}", flush=True)
    subprocess.run([sys.executable, str(script), *ARGS.get(script.name, [])], check=False)
