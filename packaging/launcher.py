"""Entry script of the frozen program: multiprocessing support first, then viewer's main()."""

import multiprocessing
import sys

if __name__ == "__main__":
    # A spawned import worker re-runs this executable; freeze_support() turns it into the
    # worker and exits before the program proper starts.
    multiprocessing.freeze_support()
    # The bundle is read-only for users and owned by the package manager: Alembic loads the
    # migration scripts from files, and their byte-code must not be left beside them.
    sys.dont_write_bytecode = True
    from viewer.__main__ import main

    sys.exit(main())
