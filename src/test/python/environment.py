"""Prints the environment variables that change TensorFlow's numerics, as this process sees them:
`ONEDNN_MAX_CPU_ISA VALUE` (`-` when unset). ReluLessonIT checks that the Python processes the
tests start see what the test JVM sees.
Usage: environment.py
"""
import os

print("ONEDNN_MAX_CPU_ISA %s" % os.environ.get("ONEDNN_MAX_CPU_ISA", "-"))
