"""Sessions in the app: save, open, recent files, autosave and crash recovery."""
