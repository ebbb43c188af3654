// Checks jira-connections.schema.json with the tools editors and CI use, for SchemaInEditorsTests:
//   node schema-check.js SCHEMA CASES   (CASES: a JSON array of { name, languageId, text, completeAt? })
// Prints one JSON object: Ajv's strict compile (errors and warnings), and per case the diagnostics VS Code's JSON
// language service shows (message, line, character) and, at completeAt, the completion items' labels.
'use strict';
const fs = require('fs');
const Ajv = require('ajv');
const { getLanguageService } = require('vscode-json-languageservice');
const { TextDocument } = require('vscode-languageserver-textdocument');

// The keywords the JSON language service reads, beyond JSON Schema: declared, so strict mode knows them.
const EDITOR_KEYWORDS = ['markdownDescription', 'errorMessage', 'patternErrorMessage', 'defaultSnippets', 'allowComments', 'allowTrailingCommas'];

async function main() {
  const [schemaPath, casesPath] = process.argv.slice(2);
  const schemaText = fs.readFileSync(schemaPath, 'utf8');
  const schema = JSON.parse(schemaText);
  const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8'));

  const warnings = [];
  let compileError = null;
  try {
    const ajv = new Ajv({ strict: true, allErrors: true, logger: { log() {}, warn: (...m) => warnings.push(m.join(' ')), error: (...m) => warnings.push(m.join(' ')) } });
    ajv.addVocabulary(EDITOR_KEYWORDS);
    ajv.compile(schema);
  } catch (e) {
    compileError = String(e.message || e);
  }

  const uri = 'file:///jira-connections.schema.json';
  const service = getLanguageService({ schemaRequestService: () => Promise.resolve(schemaText) });
  service.configure({ validate: true, allowComments: false, schemas: [{ uri, fileMatch: ['*jira-connections.json'], schema }] });

  const results = [];
  for (const c of cases) {
    const document = TextDocument.create('file:///repo/jira-connections.json', c.languageId, 1, c.text);
    const json = service.parseJSONDocument(document);
    const diagnostics = await service.doValidation(document, json, { comments: c.languageId === 'jsonc' ? 'ignore' : 'error', trailingCommas: c.languageId === 'jsonc' ? 'ignore' : 'error' });
    let completions = null;
    if (typeof c.completeAt === 'number') {
      const list = await service.doComplete(document, document.positionAt(c.completeAt), json);
      completions = list.items.map(i => i.label);
    }
    results.push({ name: c.name, diagnostics: diagnostics.map(d => ({ message: d.message, line: d.range.start.line, character: d.range.start.character })), completions });
  }

  process.stdout.write(JSON.stringify({ ajv: { compileError, warnings }, cases: results }));
}

main().catch(e => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
