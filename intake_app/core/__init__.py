"""The Qt-free core: everything that is not a widget. Never imports PySide6."""
