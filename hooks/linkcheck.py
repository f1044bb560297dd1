"""Check the built site's internal links at the end of every build (placeholder until issue 5)."""
