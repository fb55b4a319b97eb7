"""The pydriver command line (typer); it formats what the library returns or raises."""
