#!/usr/bin/env bash
# The run command: installs what is missing, builds the playground as
# WebAssembly and serves it on localhost (with the COOP/COEP headers that
# allow threads); open the printed URL and press Train. Ctrl-C stops.
# Extra arguments go to scripts/serve.py (e.g. --port 8080 --host 0.0.0.0).
# The same engine from the command line: ./build/cnn train (see README).
set -euo pipefail
exec bash "$(dirname "$0")/run_web.sh" "$@"
