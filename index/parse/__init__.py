"""Reading a post file into the model: `source` (safe reading, frontmatter), `blocks`,
`structure`, `shapes`, `labels`, `items`, `impacts`, `stances`, `assets` (+ assets.toml) and
`post` (parse_post, the entry point)."""
