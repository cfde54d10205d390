"""The shipped templates and layout profiles (data only)."""
