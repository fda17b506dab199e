import { describe, expect, it } from 'vitest';
import { STARTER_SAMPLE, STARTER_SCHEMA, checkCode, checkHosts, checkInputSchema, checkSampleInput, checkToolName, parseJson, toolNameOf } from './tool-draft';

const error = (result: { ok: boolean; error?: string }) => (result.ok ? null : result.error);

describe('checkInputSchema', () => {
  it('accepts the starter schema', () => {
    expect(checkInputSchema(STARTER_SCHEMA)).toMatchObject({ ok: true, value: { type: 'object', required: ['name'] } });
  });

  it.each([
    ['', 'Enter a JSON value'],
    ['{ "type": "object", }', 'Not valid JSON'],
    ['[]', 'must be a JSON object'],
    ['{ "type": "string" }', 'must describe an object: set "type": "object"'],
    ['{ "properties": {} }', 'must describe an object'],
    ['{ "type": "object", "properties": [] }', '"properties" must be an object'],
    ['{ "type": "object", "properties": { "city": "string" } }', 'properties.city must be a schema object'],
    ['{ "type": "object", "properties": { "city": { "type": "text" } } }', 'properties.city: "type" must be one of'],
    ['{ "type": "object", "required": "city" }', '"required" must be a list of argument names'],
    ['{ "type": "object", "properties": {}, "required": ["city"], "additionalProperties": false }', '"required" names "city", which is not in "properties"'],
  ])('explains what is wrong with %s', (text, message) => {
    expect(error(checkInputSchema(text))).toContain(message);
  });
});

describe('checkSampleInput', () => {
  const schema = { type: 'object', required: ['name', 'city'] };
  it('accepts an object with the required arguments', () => {
    expect(checkSampleInput('{ "name": "Ada", "city": "Paris" }', schema)).toEqual({ ok: true, value: { name: 'Ada', city: 'Paris' } });
    expect(checkSampleInput(STARTER_SAMPLE, null).ok).toBe(true);
  });
  it('names the missing required arguments', () => {
    expect(error(checkSampleInput('{ "name": "Ada" }', schema))).toBe('Missing required argument: city');
    expect(error(checkSampleInput('{}', schema))).toBe('Missing required arguments: name, city');
  });
  it('wants an object', () => {
    expect(error(checkSampleInput('"Ada"', schema))).toContain('must be a JSON object');
    expect(error(checkSampleInput('{ name: 1 }', schema))).toContain('Not valid JSON');
  });
});

describe('the other fields', () => {
  it('checks tool names like the server does', () => {
    expect(checkToolName('lookup_order')).toBeNull();
    expect(checkToolName('')).toBe('Give the tool a name');
    expect(checkToolName('Lookup')).toContain('Lowercase letters');
    expect(checkToolName('lookup-order')).toContain('Lowercase letters');
    expect(checkToolName('9lives')).toContain('starting with a letter');
    expect(checkToolName('a__b')).toBe('No two underscores in a row');
  });

  it('checks hosts are bare hostnames', () => {
    expect(checkHosts(['api.example.com', '*.example.org'])).toBeNull();
    expect(checkHosts(['https://api.example.com'])).toContain('"https://api.example.com" is not a hostname');
    expect(checkHosts(['api.example.com:8443'])).toContain('not a hostname');
    expect(checkHosts(Array.from({ length: 21 }, (_, i) => `h${i}.example.com`))).toBe('At most 20 hosts');
  });

  it('wants code that defines run', () => {
    expect(checkCode('async function run(input, ctx) { return 1 }')).toBeNull();
    expect(checkCode('   ')).toContain("Write the tool's code");
    expect(checkCode('return input')).toContain('must define async function run');
  });

  it("reads a plugin tool's own name from its id", () => {
    expect(toolNameOf('custom-lookup-order.lookup_order')).toBe('lookup_order');
    expect(toolNameOf('calculator')).toBe('calculator');
  });

  it('parses JSON or says why not', () => {
    expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(error(parseJson('{'))).toMatch(/^Not valid JSON: /);
  });
});
