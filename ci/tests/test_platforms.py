"""ci/platforms.py: each platform's names and flags (the table the CI workflow's jobs rely on)."""

from __future__ import annotations

import sys
from pathlib import Path
from unittest import mock

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import platforms  # noqa: E402


@pytest.mark.parametrize("system,machine,name,shared,static,jni,classifier", [
    ("Linux", "x86_64", "linux-amd64", "libwasmer.so", "libwasmer.a", "linux", "amd64-linux"),
    ("Linux", "aarch64", "linux-arm64", "libwasmer.so", "libwasmer.a", "linux", "aarch64-linux"),
    ("Darwin", "arm64", "darwin-arm64", "libwasmer.dylib", "libwasmer.a", "darwin", "aarch64-darwin"),
    ("Windows", "AMD64", "windows-amd64", "wasmer.dll", "wasmer.lib", "win32", "amd64-windows"),
])
def test_each_platform(system: str, machine: str, name: str, shared: str, static: str, jni: str, classifier: str) -> None:
    with mock.patch("platform.system", return_value=system), mock.patch("platform.machine", return_value=machine):
        p = platforms.current()
    assert (p.name, p.shared_lib("wasmer"), p.static_lib("wasmer"), p.jni_include, p.java_classifier) == \
        (name, shared, static, jni, classifier)
    assert p.rpath("/x") == ([] if system == "Windows" else ["-Wl,-rpath,/x"])
    assert (p.import_lib("wasmer") is not None) == (system == "Windows")
    assert p.static_system_libs


def test_unknown_platform_says_which() -> None:
    with mock.patch("platform.system", return_value="SunOS"), pytest.raises(platforms.UnsupportedPlatform, match="SunOS"):
        platforms.current()
