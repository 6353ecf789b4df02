"""Production settings for the collectstatic test (tests/kesbang/test_static.py), with one change: WhiteNoise
compresses only the SVG files. What the test checks is ours: every file collected, every reference in our
CSS and the vendors' (url(), source maps) resolved by the manifest storage, hashed names in the manifest.
Compressing 20 MB of vendor JavaScript and CSS with Brotli at its highest level is WhiteNoise's own work
(tested by WhiteNoise) and was 17 s of CPU, the most expensive test of `make test-quick`; the SVGs keep
the compression step itself in the run."""

from kesbang.settings import *  # noqa: F403
from kesbang.settings import WHITENOISE_SKIP_COMPRESS_EXTENSIONS

WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *WHITENOISE_SKIP_COMPRESS_EXTENSIONS, "js", "mjs", "css", "json", "html", "txt", "ttf", "otf", "eot", "md",
    "geojson", "xml", "ico",
]
