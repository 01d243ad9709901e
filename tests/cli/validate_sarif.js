// Validates a SARIF file against the SARIF 2.1.0 JSON schema (from @microsoft/jest-sarif)
// with ajv. Usage: node validate_sarif.js TOOLS_NODE_MODULES FILE.sarif
const path = require('path');
const fs = require('fs');
const modules = process.argv[2];
const Ajv = require(path.join(modules, 'ajv'));
const schema = JSON.parse(fs.readFileSync(
    path.join(modules, '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
delete schema.$schema;  // draft-07 is ajv's default
if (schema.id) {  // the schema names itself the draft-04 way
  schema.$id = schema.id;
  delete schema.id;
}
// unicodeRegExp off: one pattern of the published schema is not valid in unicode mode.
const ajv = new Ajv({strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false});
const validate = ajv.compile(schema);
const doc = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
if (!validate(doc)) {
  console.error(JSON.stringify(validate.errors.slice(0, 10), null, 2));
  process.exit(1);
}
console.log(`${process.argv[3]}: valid SARIF 2.1.0 (${doc.runs[0].results.length} results, ` +
            `${doc.runs[0].tool.driver.rules.length} rules)`);
