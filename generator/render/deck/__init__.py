"""deck."""
