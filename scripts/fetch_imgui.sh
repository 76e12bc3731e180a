#!/usr/bin/env bash
# Puts the Dear ImGui 1.86 sources (core + GLFW and OpenGL 3 backends) into
# third_party/imgui, for both the desktop and the WebAssembly build of the
# playground. Debian's libimgui-dev ships no core .cpp files, so they come
# from Debian's source package (deb-src of the machine's own apt sources; no
# other host). Idempotent: does nothing when the sources are already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/third_party/imgui"
version=1.86
stamp="$dest/.cnn-imgui-version"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ] && [ -f "$dest/imgui.cpp" ]; then
  exit 0
fi
echo "setup: fetching the Dear ImGui $version sources (Debian source package imgui)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The machine's apt sources with deb-src added. apt runs with private state
# and cache folders, so the system's package lists stay untouched.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources >"$work/src.sources"
  list_opt=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/parts")
  mkdir -p "$work/parts"
  mv "$work/src.sources" "$work/parts/debian.sources"
else
  sed -n 's/^deb \(.*\)$/deb \1\ndeb-src \1/p' /etc/apt/sources.list >"$work/src.list"
  list_opt=(-o "Dir::Etc::SourceList=$work/src.list" -o "Dir::Etc::SourceParts=/dev/null")
fi
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/dl"
apt_opt=("${list_opt[@]}" -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
         -o "APT::Sandbox::User=root" -qq)
apt-get "${apt_opt[@]}" update
(cd "$work/dl" && apt-get "${apt_opt[@]}" source --download-only imgui >/dev/null)
archive=$(ls "$work"/dl/imgui_*.orig.tar.* | head -n1)
case "$archive" in
  */imgui_"$version"[+.]*) ;;
  *) echo "fetch_imgui: expected imgui $version, apt gave $archive" >&2; exit 1 ;;
esac

rm -rf "$dest"
mkdir -p "$dest"
tar -xf "$archive" -C "$dest" --strip-components=1 --exclude='*/examples' --exclude='*/.github' \
  --exclude='*/docs'
echo "$version" >"$stamp"
echo "setup: Dear ImGui sources in $dest"
