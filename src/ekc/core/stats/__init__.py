"""Statistics and the results-file contract shared by every analysis rule."""
