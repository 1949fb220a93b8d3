"""Record and Export animation: frame capture, compression and encoding."""
