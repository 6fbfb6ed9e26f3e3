#!/bin/sh
# Installs intake_app for the current user, without root: the program in ~/.local/opt/intake_app,
# `intake_app` on the PATH (~/.local/bin), and an entry with its icon in the applications menu.
#
#   ./install.sh              (from the unpacked archive)
#   ./install.sh --uninstall  (removes the program; the vault, in ~/.local/share/intake_app, stays)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
id=org.intakeapp.IntakeApp
share=${XDG_DATA_HOME:-$HOME/.local/share}
dest=$HOME/.local/opt/intake_app
bin=$HOME/.local/bin

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$bin/intake_app" "$share/applications/$id.desktop" "$share/metainfo/$id.metainfo.xml"
  rm -f "$share"/icons/hicolor/*/apps/"$id".png "$share/icons/hicolor/scalable/apps/$id.svg"
  rm -rf "$dest"
  echo "intake_app was removed. Your vault and its backups were kept in $share/intake_app."
  exit 0
fi

if [ "$here" != "$dest" ]; then  # a new version replaces the old one whole
  mkdir -p "$(dirname "$dest")"
  rm -rf "$dest.new"
  cp -R "$here" "$dest.new"
  rm -rf "$dest"
  mv "$dest.new" "$dest"
fi
mkdir -p "$bin" "$share/applications" "$share/metainfo" "$share/icons/hicolor/scalable/apps"
ln -sf "$dest/intake_app" "$bin/intake_app"
sed "s|^Exec=intake_app|Exec=\"$dest/intake_app\"|" "$dest/share/applications/$id.desktop" \
  > "$share/applications/$id.desktop"
cp "$dest/share/metainfo/$id.metainfo.xml" "$share/metainfo/"
for icon in "$dest"/share/icons/hicolor/*/apps/"$id".*; do
  size=$(basename "$(dirname "$(dirname "$icon")")")
  mkdir -p "$share/icons/hicolor/$size/apps"
  cp "$icon" "$share/icons/hicolor/$size/apps/"
done
command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
echo "intake_app is installed: in your applications menu, or run: $bin/intake_app"
