print("heimdall-audit: not yet implemented")
