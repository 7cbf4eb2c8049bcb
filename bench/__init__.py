"""Benchmarks (make bench runs each bench/[!_]*.py); helpers in bench/support/."""
