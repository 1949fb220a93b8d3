"""File ▸ Export: fields, figures and the model, written off the GUI thread."""
