"""Benchmarks: a synthetic corpus maker, the parse benchmark and the site benchmark.

Run the scripts from the repository root, e.g. ``python bench/make_corpus.py 2000 bench/out/c``;
see ``bench/README.md``.
"""
