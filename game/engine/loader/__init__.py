"""From a YAML file to an immutable `Scenario`: reading, checking, diagnostics, the cache, the catalog.

YAML -> `yamlsource` (nodes with positions) -> `build` (every check, located problems) ->
`load` (the entry point, with the JSON cache) -> `runtime.model.Scenario`. `catalog` finds a
scenario by name among the shipped ones and those in `./scenarios`.
"""
