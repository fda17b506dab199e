import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import type { Plugin } from 'vite';

const MODULE_ID = 'virtual:workflow-node-validator';
const RESOLVED_ID = `\0${MODULE_ID}`;
const SCHEMA_PATH = fileURLToPath(new URL('../../schemas/workflow-definition.schema.json', import.meta.url));

/**
 * ajv's validator for a workflow node, compiled from schemas/workflow-definition.schema.json at
 * build time (ajv "standalone" code). ajv compiles with `new Function`, which the app's
 * Content-Security-Policy (script-src 'self') forbids in the browser; code generated here needs
 * no eval, and the schema stays the one the server validates with.
 */
export function workflowNodeValidator(): Plugin {
  return {
    name: 'agentflow-workflow-node-validator',
    resolveId(id) {
      return id === MODULE_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      this.addWatchFile(SCHEMA_PATH);
      const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { $id: string };
      const ajv = new Ajv2020({ strict: false, allErrors: true, code: { source: true, esm: true } });
      ajv.addSchema(schema);
      const code = standaloneCode(ajv, { validateNode: `${schema.$id}#/$defs/node` });
      // ajv's runtime helpers (ucs2length for string lengths, ...) come as CommonJS requires.
      const imports: string[] = [];
      const body = code.replace(/const (\w+) = require\("([^"]+)"\)\.default;/g, (_match, name: string, path: string) => {
        imports.push(`import ${name} from ${JSON.stringify(path)};`);
        return '';
      });
      if (body.includes('require(')) throw new Error('The standalone workflow node validator still requires a module');
      return `${imports.join('\n')}\n${body.replace(/^"use strict";/, '')}`;
    },
  };
}
