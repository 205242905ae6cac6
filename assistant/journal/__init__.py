"""The journal: the only code that touches TinyDB files."""
