"""The benchmark: every page at 100 and 10,000 posts against a bare-Django floor (`make bench`)."""
