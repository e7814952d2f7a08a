"""The command line: `main` (the click group and the entry point), one module per command
group (`show`, `search` with index/tags/assets), `errors` (context, exit statuses, the
one-line error) and `index_progress` (the child-process progress protocol of `index`)."""
