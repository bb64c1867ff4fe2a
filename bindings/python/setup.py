"""setuptools hook for the cffi extension (pyproject.toml holds the metadata)."""

from setuptools import setup

setup(cffi_modules=["wasmer/_build_ffi.py:ffibuilder"])
