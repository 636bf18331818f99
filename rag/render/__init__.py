"""Render: results into what people read (terminal views, Markdown, a self-contained HTML page)."""
