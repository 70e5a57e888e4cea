"""`longarm lsp`: a language server for scenario files, for authors' editors.

The editor sends the text as it is typed; the server answers with the validator's own problems,
completions, definitions, hovers and renames. The modules each do one job:

- `index`: where every id is defined and used in one file's text, read with the loader's own
  YAML reader (`game.engine.loader.yamlsource`), so positions are the validator's positions;
- `context`: what the cursor is on, from the lines around it (works while the YAML is broken);
- `diagnostics`: the validator's problems for unsaved text, with ranges;
- `completion`, `navigation`: the features, in lsprotocol's types;
- `positions`: columns in characters (as YAML counts them) to and from the client's units;
- `server`: the pygls wiring. Only this module and the features import pygls or lsprotocol, and
  `game.cli` imports it only when `longarm lsp` runs, so pygls stays an optional extra.
"""
