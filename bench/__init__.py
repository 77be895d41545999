"""Benchmarks at network scale (`make bench`): a synthetic network generator, the
measurements and the driver that writes ``bench/results.md``. Never imported by the portal."""
