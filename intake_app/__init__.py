"""intake_app: offline, encrypted, multilingual intake of survivors' testimony."""

__version__ = "0.1.0"
