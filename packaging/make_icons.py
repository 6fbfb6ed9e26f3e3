"""Makes the platform icons from resources/icons/intake_app.svg (run after changing it; the results
are committed): PNGs for Linux (hicolor sizes), .ico for Windows, .icns for macOS.

    .venv/bin/python packaging/make_icons.py

Qt renders the SVG (the same renderer the app uses); Pillow writes the .ico and .icns containers.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "intake_app.svg"
OUT = ROOT / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication([])
    for size in PNG_SIZES:
        (OUT / f"intake_app-{size}.png").write_bytes(render(size))
    largest = Image.open(io.BytesIO(render(1024)))
    largest.save(OUT / "intake_app.icns")  # Pillow writes every size macOS asks for
    ico = Image.open(io.BytesIO(render(256)))
    ico.save(OUT / "intake_app.ico", sizes=[(s, s) for s in ICO_SIZES])
    print("\n".join(sorted(p.name for p in OUT.iterdir())))


if __name__ == "__main__":
    main()
