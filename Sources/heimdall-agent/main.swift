print("heimdall-agent: not yet implemented")
