"""Runs the boto3 end-to-end tests and ends with one summary line,
"py: N passed, N failed, N skipped"; exits non-zero on any failure.

    python3 test/e2e/py/run.py
"""

import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)

suite = unittest.defaultTestLoader.discover(here, top_level_dir=here)
result = unittest.TextTestRunner(verbosity=2).run(suite)
failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
skipped = len(result.skipped)
passed = result.testsRun - failed - skipped - len(result.expectedFailures)
print(f"py: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
