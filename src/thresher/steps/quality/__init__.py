"""Quality signals and heuristic filters (Gopher, C4, FineWeb, RedPajama-V2)."""
