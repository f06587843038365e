"""Request bodies schemathesis cannot make by itself, loaded by `bench/schemathesis_fuzz.py`
(`SCHEMATHESIS_HOOKS`): the central bank's zip archive of salary files
(`POST /api/partners/v1/wps/archives`)."""

import io
import zipfile

import schemathesis
from hypothesis import strategies as st


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


# An empty archive, one with a badly named member and one with a path outside it, and bytes that
# are no zip at all: each must be refused or reported, never a 500.
schemathesis.openapi.media_type(
    "application/zip",
    st.sampled_from(
        [
            _zip({}),
            _zip({"not-a-sif.csv": b"x"}),
            _zip({"../SIF_1000000_BMCT_20261101_001.csv": b"\x00"}),
            b"PK\x03\x04 truncated",
        ]
    )
    | st.binary(max_size=64),
)
