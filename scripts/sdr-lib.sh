# Shared by scripts/sdr-fixtures and scripts/sdr-check: installs Salesforce's source-deploy-retrieve
# (SDR) with the small drivers in scripts/sdr/ into a scratch folder, and writes sfdx-project.json.
# SDR 12 runs on Node 20 when undici is held at 6 (the override in scripts/sdr/package.json).

sdr_install() {
    local dir="$1"
    command -v node >/dev/null && command -v npm >/dev/null || { echo "needs node and npm" >&2; exit 2; }
    mkdir -p "$dir"
    cp "$repo"/scripts/sdr/*.js "$repo"/scripts/sdr/package.json "$dir/"
    (cd "$dir" && npm install --silent --no-audit --no-fund >/dev/null 2>&1) || { echo "npm install failed in $dir" >&2; exit 2; }
}

# sdr_project DIR [PRESET]: an SFDX project with force-app, API 66.0, and the preset if given.
sdr_project() {
    local options=""
    [ -n "${2:-}" ] && options=$',\n  "sourceBehaviorOptions": ["'"$2"'"]'
    cat > "$1/sfdx-project.json" <<JSON
{
  "packageDirectories": [{ "path": "force-app", "default": true }],
  "name": "sfperms-fixture",
  "namespace": "",
  "sourceApiVersion": "66.0"$options
}
JSON
}
