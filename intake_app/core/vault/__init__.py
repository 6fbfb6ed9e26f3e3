"""The encrypted vault: key slots, the SQLCipher database, audit chain, backup."""
