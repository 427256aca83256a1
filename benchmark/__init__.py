"""`make bench`: the portal measured at district scale (docs/performance.md)."""
