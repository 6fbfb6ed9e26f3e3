"""Sealed PDF exports to investigators: the consent policy, and sealing and verification."""
