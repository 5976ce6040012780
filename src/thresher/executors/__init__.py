"""Executors: the local process pool and Ray."""
