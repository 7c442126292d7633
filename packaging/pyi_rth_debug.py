"""PyInstaller run-time hook of debug builds only: Qt and Python say what they load and why."""

import faulthandler
import os
import sys

os.environ.setdefault("QT_DEBUG_PLUGINS", "1")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=true")
if sys.stderr is not None:
    faulthandler.enable()
print(f"incident-viewer debug build: bundle at {getattr(sys, '_MEIPASS', '?')}", file=sys.stderr)
