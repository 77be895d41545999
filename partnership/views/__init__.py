"""The partnership pages, one module per kind of page."""
