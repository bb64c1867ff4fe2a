"""What differs between the platforms the project builds on, in one table: library file names,
how a library finds libwasmer at run time, the system libraries a static libwasmer needs, and
the platform names each ecosystem uses. ci/wasmer.py and ci/langs/<lang>.py ask here instead of
spelling Linux's names. Standard library only (ci/wasmer.py runs before any virtualenv, and the
Python sdist carries both files).

Linux x86_64 is what the development machine runs and tests; the other rows are written from the
toolchains' documentation for the CI workflow's jobs (.github/workflows/ci.yml) and not yet run.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass


class UnsupportedPlatform(RuntimeError):
    pass


@dataclass(frozen=True)
class Platform:
    os: str  # linux, darwin, windows (Go's GOOS)
    arch: str  # amd64, arm64 (Go's GOARCH)

    @property
    def name(self) -> str:
        """<os>-<arch>: Go's packaged/lib/<name>/, the dist/ upload name."""
        return f"{self.os}-{self.arch}"

    def shared_lib(self, name: str) -> str:
        return {"linux": f"lib{name}.so", "darwin": f"lib{name}.dylib", "windows": f"{name}.dll"}[self.os]

    def static_lib(self, name: str) -> str:
        return f"{name}.lib" if self.os == "windows" else f"lib{name}.a"

    def import_lib(self, name: str) -> str | None:
        """Windows links a DLL through its import library (cargo writes <name>.dll.lib)."""
        return f"{name}.dll.lib" if self.os == "windows" else None

    @property
    def origin(self) -> str:
        """The run-time search path entry meaning "the directory of this library"."""
        return {"linux": "$ORIGIN", "darwin": "@loader_path"}.get(self.os, "")

    def rpath(self, directory: str) -> list[str]:
        """Linker flags so that a library finds libwasmer in `directory` at run time (Windows has no
        rpath: the DLL must be next to the program or on PATH)."""
        return [] if self.os == "windows" else [f"-Wl,-rpath,{directory}"]

    @property
    def system_libraries(self) -> list[str]:
        """The system libraries a static libwasmer needs (names, as setuptools' `libraries` takes them)."""
        return {
            "linux": ["pthread", "dl", "m", "rt"],
            "darwin": ["c++"],
            "windows": ["ws2_32", "advapi32", "userenv", "bcrypt", "ntdll", "ole32", "shell32"],
        }[self.os]

    @property
    def frameworks(self) -> list[str]:
        """macOS frameworks a static libwasmer needs, as linker flags."""
        return ["-framework", "CoreFoundation", "-framework", "Security"] if self.os == "darwin" else []

    @property
    def static_system_libs(self) -> list[str]:
        """What a static libwasmer needs from the system, as gcc/clang linker flags."""
        return [f"-l{lib}" for lib in self.system_libraries] + self.frameworks

    @property
    def dead_strip(self) -> list[str]:
        """Linker flags dropping unused code and keeping libwasmer's symbols out of the export table."""
        return {"linux": ["-Wl,--gc-sections", "-Wl,--exclude-libs,ALL"], "darwin": ["-Wl,-dead_strip"]}.get(self.os, [])

    @property
    def jni_include(self) -> str:
        """The JDK's include/<dir> holding jni_md.h."""
        return {"linux": "linux", "darwin": "darwin", "windows": "win32"}[self.os]

    @property
    def java_classifier(self) -> str:
        """wasmer-java's artifact suffix: wasmer-jni-<arch>-<os> (amd64-linux, aarch64-darwin, ...)."""
        return f"{'aarch64' if self.arch == 'arm64' else self.arch}-{self.os}"


def current() -> Platform:
    system = {"Linux": "linux", "Darwin": "darwin", "Windows": "windows"}.get(platform.system())
    arch = {"x86_64": "amd64", "AMD64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine())
    if system is None or arch is None:
        raise UnsupportedPlatform(f"no build for {platform.system()} {platform.machine()} "
                                  "(ci/platforms.py knows linux, darwin and windows on x86_64 and arm64)")
    return Platform(system, arch)


if __name__ == "__main__":
    print(current().name)
    sys.exit(0)
