"""The detail pane: `item_view` (the widget), `documents` (a post or item as a Document),
`document` (blocks, layout, wrapping, match finding) and `markdown_blocks` (markdown to blocks)."""
