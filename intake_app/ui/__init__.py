"""The PySide6 desktop interface: widgets only; every decision and every write is in ``core``."""
