#!/usr/bin/env bash
# Puts the default content and style images into assets/images/ (gitignored),
# taken from Debian packages without installing them (apt-get download +
# dpkg-deb -x): Munch's The Scream and photos from darknet, Van Gogh's The
# Starry Night from opencv-doc, photos and textures from python3-skimage
# (skimage's data: public domain / CC0). Idempotent: does nothing when every
# image is there. Only apt reaches the network.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/assets/images"

# package  path inside the package  (the image keeps its file name)
images=(
  "darknet /usr/share/darknet/data/scream.jpg"
  "darknet /usr/share/darknet/data/dog.jpg"
  "darknet /usr/share/darknet/data/eagle.jpg"
  "darknet /usr/share/darknet/data/horses.jpg"
  "opencv-doc /usr/share/doc/opencv-doc/examples/data/starry_night.jpg"
  "python3-skimage /usr/lib/python3/dist-packages/skimage/data/astronaut.png"
  "python3-skimage /usr/lib/python3/dist-packages/skimage/data/chelsea.png"
  "python3-skimage /usr/lib/python3/dist-packages/skimage/data/coffee.png"
  "python3-skimage /usr/lib/python3/dist-packages/skimage/data/rocket.jpg"
  "python3-skimage /usr/lib/python3/dist-packages/skimage/data/brick.png"
  "python3-skimage /usr/lib/python3/dist-packages/skimage/data/grass.png"
  "python3-skimage /usr/lib/python3/dist-packages/skimage/data/gravel.png"
)

packages=()
for entry in "${images[@]}"; do
  read -r pkg path <<<"$entry"
  if [ ! -s "$dest/$(basename "$path")" ] && [[ " ${packages[*]-} " != *" $pkg "* ]]; then
    packages+=("$pkg")
  fi
done
((${#packages[@]})) || exit 0
echo "setup: extracting sample images from Debian packages: ${packages[*]}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"  # apt's _apt user downloads into it
# Fresh machines may have empty package lists: update once and retry.
if ! (cd "$work" && apt-get download -qq "${packages[@]}" 2>/dev/null); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  (cd "$work" && apt-get download -qq "${packages[@]}")
fi
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
mkdir -p "$dest"
for entry in "${images[@]}"; do
  read -r pkg path <<<"$entry"
  name=$(basename "$path")
  [ -s "$dest/$name" ] && continue
  if [ ! -s "$work/root$path" ]; then
    echo "fetch_images: $path is not in $pkg" >&2
    exit 1
  fi
  cp "$work/root$path" "$dest/$name.tmp" && mv "$dest/$name.tmp" "$dest/$name"
done
