"""After PyInstaller: add the Linux desktop integration, pack the one-folder build into an archive
and report what it weighs.

    .venv/bin/python packaging/archive.py dist

On Linux the folder gets ``install.sh`` and a ``share/`` tree (the .desktop file, the AppStream
metadata and the icons at their hicolor sizes), which ``install.sh`` copies into the user's menu.

The archive is ``intake_app-<version>-<system>-<machine>.tar.gz`` (``.zip`` on Windows), with its
entries in a fixed order, owned by nobody in particular and dated by ``SOURCE_DATE_EPOCH`` when set,
so that two builds of the same files give the same archive.
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = "intake_app"
APP_ID = "org.intakeapp.IntakeApp"


def version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"])


def archive_name() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, platform.system().lower())
    suffix = ".zip" if sys.platform == "win32" else ".tar.gz"
    return f"{APP}-{version()}-{system}-{platform.machine().lower()}{suffix}"


def add_linux_integration(folder: Path) -> None:
    linux, icons, share = (
        ROOT / "packaging" / "linux",
        ROOT / "resources" / "icons",
        folder / "share",
    )
    (share / "applications").mkdir(parents=True, exist_ok=True)
    (share / "metainfo").mkdir(exist_ok=True)
    shutil.copy2(linux / f"{APP_ID}.desktop", share / "applications")
    shutil.copy2(linux / f"{APP_ID}.metainfo.xml", share / "metainfo")
    for png in icons.glob(f"{APP}-*.png"):
        size = png.stem.rsplit("-", 1)[1]
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, target / f"{APP_ID}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(icons / f"{APP}.svg", scalable / f"{APP_ID}.svg")
    shutil.copy2(linux / "install.sh", folder / "install.sh")


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder.parent).as_posix())


def pack(folder: Path, target: Path) -> Path:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    if target.suffix == ".zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in _entries(folder):
                if path.is_file():
                    archive.write(path, path.relative_to(folder.parent).as_posix())
        return target

    def normal(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = epoch
        return info

    with tarfile.open(target, "w:gz") as archive:
        archive.add(folder, folder.name, recursive=False, filter=normal)
        for path in _entries(folder):
            archive.add(path, path.relative_to(folder.parent).as_posix(), recursive=False,
                        filter=normal)  # fmt: skip
    return target


def size_report(folder: Path, packed: Path, top: int = 12) -> str:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    lines = [
        f"build folder: {folder} — {total / 1e6:.1f} MB in {len(files)} files",
        f"archive:      {packed} — {packed.stat().st_size / 1e6:.1f} MB",
        f"largest {top}:",
    ]
    for path in sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:top]:
        lines.append(f"  {path.stat().st_size / 1e6:7.1f} MB  {path.relative_to(folder)}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    dist = Path(argv[1] if len(argv) > 1 else "dist")
    folder = dist / APP
    if not (folder / APP).exists() and not (folder / f"{APP}.exe").exists():
        print(f"no build in {folder}: run scripts/build", file=sys.stderr)
        return 1
    if sys.platform.startswith("linux"):
        add_linux_integration(folder)
    packed = pack(folder, dist / archive_name())
    print(size_report(folder, packed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
