/**
 * `npm run docs:api`: prints the API documents generated from machines/contract into docs/
 * (docs/openapi.json, docs/asyncapi.json). A test fails while the files differ from the contract.
 */
import { writeFileSync } from 'node:fs';
import { asyncApiDocument, openApiDocument, printed } from '../machines/contract/api-docs.js';

writeFileSync('docs/openapi.json', printed(openApiDocument()));
writeFileSync('docs/asyncapi.json', printed(asyncApiDocument()));
console.log('docs: wrote docs/openapi.json and docs/asyncapi.json');
