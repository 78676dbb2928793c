"""newsletter."""
