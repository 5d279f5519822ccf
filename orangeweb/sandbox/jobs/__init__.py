"""Background processing of accepted jobs (voice, batch, dubbing steps, batch callbacks)."""
