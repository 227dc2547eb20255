print("heimdall-pki: not yet implemented")
