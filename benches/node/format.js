// The comparison for benches/scale.rs: a `fmt --check` built the way Node metadata tools build
// one. fast-xml-parser reads each file into objects, the repeated groups are sorted by their key,
// XMLBuilder writes the file again, and the text is compared with the file. Not part of sfperms:
// benches/scale.rs installs fast-xml-parser from the npm registry into a temporary folder.
//
// Usage: node format.js DIR...   Prints "would change: PATH" lines and a count; exit 1 if any.
'use strict';
const fs = require('fs');
const path = require('path');
const { XMLParser, XMLBuilder } = require('fast-xml-parser');

// The key each repeated group is sorted by (src/metadata/data/entry-keys.tsv).
const KEYS = {
  applicationVisibilities: 'application', classAccesses: 'apexClass', customMetadataTypeAccesses: 'name',
  customPermissions: 'name', customSettingAccesses: 'name', externalDataSourceAccesses: 'externalDataSource',
  fieldPermissions: 'field', flowAccesses: 'flow', layoutAssignments: 'layout', objectPermissions: 'object',
  pageAccesses: 'apexPage', recordTypeVisibilities: 'recordType', tabSettings: 'tab', tabVisibilities: 'tab',
  userPermissions: 'name',
};
const options = {
  ignoreAttributes: false, parseTagValue: false, parseAttributeValue: false, trimValues: true,
  commentPropName: '#comment', ignoreDeclaration: true,
};
const parser = new XMLParser(options);
const builder = new XMLBuilder({ ...options, format: true, indentBy: '    ', suppressEmptyNode: false });

function sorted(object) {
  const out = {};
  for (const name of Object.keys(object).sort()) {
    let value = object[name];
    const key = KEYS[name];
    if (Array.isArray(value) && key) {
      value = [...value].sort((a, b) => (String(a[key]) < String(b[key]) ? -1 : String(a[key]) > String(b[key]) ? 1 : 0));
    }
    out[name] = value;
  }
  return out;
}

function files(dir, found) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files(full, found);
    else if (/\.(profile|permissionset)(-meta\.xml)?$/.test(entry.name)) found.push(full);
  }
  return found;
}

let changed = 0;
let checked = 0;
for (const dir of process.argv.slice(2)) {
  for (const file of files(dir, [])) {
    const text = fs.readFileSync(file, 'utf8');
    const doc = parser.parse(text);
    for (const root of Object.keys(doc)) {
      if (!root.startsWith('#')) doc[root] = sorted(doc[root]);
    }
    const again = '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build(doc);
    checked += 1;
    if (again !== text) {
      changed += 1;
      console.log(`would change: ${file}`);
    }
  }
}
console.error(`${checked} files checked, ${changed} would change`);
process.exit(changed ? 1 : 0);
