"""pydriver: a regional government intranet (Jaringan Intra Pemerintah) as code.

Stages run in one direction (load -> validate -> intent -> render -> plan -> apply -> report);
each stage lives in its own subpackage and takes the previous stage's typed output.
"""

__version__ = "0.1.0"

# stamps pydriver's files now, as its code is imported (see codebase._IMPORTED)
from pydriver import codebase as _codebase  # noqa: F401
