"""Where the shipped Noto fonts (OFL) are: next to the sources, or inside a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def font_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) if bundle else Path(__file__).resolve().parents[2]
    return base / "resources" / "fonts"
