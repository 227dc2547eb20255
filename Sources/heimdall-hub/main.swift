print("heimdall-hub: not yet implemented")
