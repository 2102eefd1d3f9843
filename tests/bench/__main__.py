"""`python -m tests.bench`: the benchmark suite (see tests/bench/run.py)."""

from .run import main

main()
