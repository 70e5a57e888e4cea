"""The authoring guide's editor settings for `longarm lsp`, checked as text: no editor runs here.

The Helix TOML and the VS Code JSON are parsed; the Lua is compiled by `luac -p` and the
JavaScript checked by `node --check` when those tools are on PATH; and each names the command
the server really answers to.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from shared import REPO

HEADING = "## Editor support: the language server"


def section() -> str:
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert HEADING in guide
    return guide[guide.index(HEADING):]


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section(), flags=re.DOTALL)


def test_the_section_is_the_last_of_the_guide() -> None:
    assert not re.search(r"^## ", section()[len(HEADING):], flags=re.MULTILINE)


def test_the_helix_settings_parse_and_add_the_server_to_yaml() -> None:
    [helix] = blocks("toml")
    config = tomllib.loads(helix)
    assert config["language-server"]["longarm"] == {"command": "longarm", "args": ["lsp"]}
    [yaml] = [language for language in config["language"] if language["name"] == "yaml"]
    assert "longarm" in yaml["language-servers"]


def test_the_vscode_settings_and_extension_manifest_parse() -> None:
    settings, manifest = (json.loads(block) for block in blocks("json"))
    assert settings["glspc.server.command"] == "longarm" and settings["glspc.server.commandArguments"] == ["lsp"]
    assert manifest["main"] == "./extension.js" and "vscode-languageclient" in manifest["dependencies"]
    assert manifest["activationEvents"] == ["onLanguage:yaml"]


def test_the_vscode_extension_starts_the_server(tmp_path: Path) -> None:
    [script] = blocks("js")
    assert '{ command: "longarm", args: ["lsp"] }' in script and "module.exports = { activate, deactivate }" in script
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the JavaScript was only read, not checked")
    (tmp_path / "extension.js").write_text(script, encoding="utf-8")
    result = subprocess.run([node, "--check", str(tmp_path / "extension.js")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_neovim_snippet_starts_the_server_for_scenarios(tmp_path: Path) -> None:
    [lua] = blocks("lua")
    assert 'cmd = { "longarm", "lsp" }' in lua and "vim.lsp.start(" in lua and 'pattern = "yaml"' in lua
    luac = shutil.which("luac") or shutil.which("luac5.4")
    if luac is None:
        pytest.skip("luac is not installed: the Lua was only read, not compiled")
    (tmp_path / "init.lua").write_text(lua, encoding="utf-8")
    result = subprocess.run([luac, "-p", str(tmp_path / "init.lua")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_install_command_is_the_projects_extra() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    extras = pyproject["project"]["optional-dependencies"]
    assert any(d.startswith("pygls") for d in extras["lsp"]) and any(d.startswith("pygls") for d in extras["test"])
    assert "python -m pip install -e '.[lsp]'" in section()
