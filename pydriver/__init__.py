"""pydriver: a regional government intranet (Jaringan Intra Pemerintah) as code.

Stages run in one direction (load -> validate -> intent -> render -> plan -> apply -> report);
each stage lives in its own subpackage and takes the previous stage's typed output.
"""

__version__ = "0.1.0"
