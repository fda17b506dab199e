import { ActionIcon, Button, Group, NumberInput, Paper, Select, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { CodeEditor } from '../../../components/code-editor';
import { configSchema, defaultValue, resolveSchema, type JsonSchema } from '../../../editor/core/definition';
import type { PickerAgent, PickerTool } from '../api/workflows.api';
import { fieldKind, parseScalar, scalarText } from './field-kind';
import { JsonField } from './json-field';

type Errors = Readonly<Record<string, readonly string[]>>;

interface FieldContext {
  errors: Errors;
  readOnly: boolean;
  agents: readonly PickerAgent[];
  tools: readonly PickerTool[];
}

interface FieldProps extends FieldContext {
  name: string;
  schema: JsonSchema;
  /** Where the field is in the node, as in FieldError: "config/agentId", "config/rules/0/path". */
  path: string;
  testId: string;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
  /** Inside a row: no descriptions, untyped values as one-line text. */
  compact?: boolean;
}

const AGENT_STATUS_NOTE: Record<PickerAgent['status'], string> = { ACTIVE: '', INACTIVE: ' (inactive)', ARCHIVED: ' (archived)' };

function withValue<T extends { value: string; label: string }>(options: T[], value: unknown, missing: string): { value: string; label: string }[] {
  if (typeof value !== 'string' || value === '' || options.some((o) => o.value === value)) return options;
  return [...options, { value, label: `${value} (${missing})` }];
}

function errorText(errors: Errors, path: string): string | undefined {
  const messages = errors[path];
  return messages && messages.length > 0 ? messages.join('; ') : undefined;
}

function ConfigField(props: FieldProps) {
  const { name, schema: raw, path, testId, required, value, onChange, errors, readOnly, agents, tools, compact } = props;
  const schema = resolveSchema(raw);
  const kind = fieldKind(raw);
  const label = schema.title ?? name;
  const description = compact ? undefined : schema.description;
  const error = errorText(errors, path);
  const common = { label, description, error, withAsterisk: required && !compact, disabled: readOnly, 'data-testid': testId };

  switch (kind) {
    case 'agent': {
      const options = agents
        .filter((a) => a.status !== 'ARCHIVED' || a.id === value)
        .map((a) => ({ value: a.id, label: `${a.name}${AGENT_STATUS_NOTE[a.status]}` }));
      return (
        <Select
          {...common}
          data={withValue(options, value, 'not found')}
          value={typeof value === 'string' && value !== '' ? value : null}
          onChange={(next) => onChange(next ?? '')}
          placeholder={agents.length ? 'Choose an agent' : 'No agents yet: build one first'}
          searchable
          nothingFoundMessage="No agent by that name"
          comboboxProps={{ withinPortal: true }}
        />
      );
    }
    case 'tool': {
      const options = tools.map((t) => ({ value: t.id, label: t.id }));
      const chosen = tools.find((t) => t.id === value);
      return (
        <Select
          {...common}
          description={chosen?.description ?? description}
          data={withValue(options, value, 'unknown tool')}
          value={typeof value === 'string' && value !== '' ? value : null}
          onChange={(next) => onChange(next ?? '')}
          placeholder="Choose a tool"
          searchable
          comboboxProps={{ withinPortal: true }}
        />
      );
    }
    case 'code':
      return (
        <CodeEditor
          label={label}
          description={description}
          error={error}
          required={required && !compact}
          readOnly={readOnly}
          value={typeof value === 'string' ? value : ''}
          onChange={onChange}
          testId={testId}
          minHeight="200px"
        />
      );
    case 'select': {
      const options = (schema.enum ?? []).map((v) => ({ value: String(v), label: String(v) }));
      return (
        <Select
          {...common}
          data={options}
          value={value === undefined || value === null ? null : String(value)}
          onChange={(next) => onChange(next === null ? undefined : (schema.enum ?? []).find((v) => String(v) === next))}
          allowDeselect={!required}
          clearable={!required}
          placeholder={schema.default !== undefined ? `Default: ${String(schema.default)}` : undefined}
          comboboxProps={{ withinPortal: true }}
        />
      );
    }
    case 'boolean':
      return (
        <Switch
          label={label}
          description={description}
          error={error}
          checked={value === true}
          onChange={(event) => onChange(event.currentTarget.checked)}
          disabled={readOnly}
          data-testid={testId}
        />
      );
    case 'number':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : ''}
          onChange={(next) => onChange(next === '' ? undefined : Number(next))}
          min={schema.minimum}
          max={schema.maximum}
          allowDecimal={schema.type !== 'integer'}
          placeholder={schema.default !== undefined ? `Default: ${String(schema.default)}` : undefined}
        />
      );
    case 'text':
      return (
        <TextInput
          {...common}
          value={typeof value === 'string' ? value : scalarText(value)}
          onChange={(event) => {
            const next = event.currentTarget.value;
            onChange(next === '' && !required ? undefined : next);
          }}
        />
      );
    case 'textarea':
      return (
        <Textarea
          {...common}
          value={typeof value === 'string' ? value : scalarText(value)}
          onChange={(event) => onChange(event.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={10}
        />
      );
    case 'rows':
      return <RowsField {...props} />;
    case 'json':
      if (compact) {
        return (
          <TextInput
            {...common}
            value={scalarText(value)}
            onChange={(event) => onChange(parseScalar(event.currentTarget.value))}
            placeholder="Text, a number, true or false"
          />
        );
      }
      return (
        <JsonField
          label={label}
          description={description}
          value={value}
          onChange={onChange}
          error={error}
          required={required}
          readOnly={readOnly}
          testId={testId}
          placeholder={schema.type === 'object' ? '{ "key": "{{input.value}}" }' : '"{{input}}"'}
        />
      );
  }
}

/** Values that make a row's other fields meaningless: a condition's exists / notExists take no value. */
const VALUELESS_OPERATORS = new Set(['exists', 'notExists']);

function RowsField({ name, schema: raw, path, testId, value, onChange, errors, readOnly, agents, tools }: FieldProps) {
  const schema = resolveSchema(raw);
  const items = schema.items ? resolveSchema(schema.items) : {};
  const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
  const min = schema.minItems ?? 0;
  const max = schema.maxItems ?? Infinity;
  const properties = Object.entries(items.properties ?? {});
  const setRow = (index: number, next: Record<string, unknown>) => onChange(rows.map((row, i) => (i === index ? next : row)));
  const listError = errorText(errors, path);

  return (
    <Stack gap={6} data-testid={testId}>
      <Text fz="sm" fw={500}>
        {schema.title ?? name}
      </Text>
      {rows.map((row, index) => (
        <Paper key={index} withBorder p="xs" radius="sm" data-testid={`${testId}-row-${index}`}>
          <Stack gap={6}>
            {properties.map(([key, property]) => {
              if (key === 'value' && VALUELESS_OPERATORS.has(String(row.operator))) return null;
              return (
                <ConfigField
                  key={key}
                  name={key}
                  schema={property}
                  path={`${path}/${index}/${key}`}
                  testId={`${testId}-${index}-${key}`}
                  required={items.required?.includes(key) ?? false}
                  value={row[key]}
                  onChange={(next) => {
                    const updated = { ...row };
                    if (next === undefined) delete updated[key];
                    else updated[key] = next;
                    setRow(index, updated);
                  }}
                  errors={errors}
                  readOnly={readOnly}
                  agents={agents}
                  tools={tools}
                  compact
                />
              );
            })}
            {!readOnly ? (
              <Group justify="flex-end">
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove row ${index + 1}`}
                  disabled={rows.length <= min}
                  onClick={() => onChange(rows.filter((_, i) => i !== index))}
                  data-testid={`${testId}-remove-${index}`}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ) : null}
          </Stack>
        </Paper>
      ))}
      {listError ? (
        <Text fz="xs" c="red">
          {listError}
        </Text>
      ) : null}
      {!readOnly ? (
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} />}
          disabled={rows.length >= max}
          onClick={() => onChange([...rows, defaultValue(items)])}
          data-testid={`${testId}-add`}
        >
          Add
        </Button>
      ) : null}
    </Stack>
  );
}

interface ConfigFormProps extends FieldContext {
  nodeType: string;
  value: Record<string, unknown>;
  onChange: (config: Record<string, unknown>) => void;
}

/**
 * A node's config, generated from `$defs.<type>Config` of the definition schema: text, textareas
 * for templates, selects for enums and agent/tool pickers, numbers, switches, JSON for objects
 * and rows for lists of objects. Errors come keyed by field path ("config/agentId").
 */
export function ConfigForm({ nodeType, value, onChange, ...context }: ConfigFormProps) {
  const schema = configSchema(nodeType);
  if (!schema) {
    return (
      <Text fz="sm" c="dimmed" data-testid="config-unknown-type">
        This app does not know the node type "{nodeType}"; its settings cannot be edited here.
      </Text>
    );
  }
  const properties = Object.entries(schema.properties ?? {});
  const nodeErrors = errorText(context.errors, 'config');
  return (
    <Stack gap="sm" data-testid="config-form" data-node-type={nodeType}>
      {properties.length === 0 ? (
        <Text fz="sm" c="dimmed" data-testid="config-empty">
          A {schema.title?.toLowerCase() ?? nodeType} node has no settings.
        </Text>
      ) : null}
      {properties.map(([key, property]) => (
        <ConfigField
          key={key}
          name={key}
          schema={property}
          path={`config/${key}`}
          testId={`config-${key}`}
          required={schema.required?.includes(key) ?? false}
          value={value[key]}
          onChange={(next) => {
            const updated = { ...value };
            if (next === undefined) delete updated[key];
            else updated[key] = next;
            onChange(updated);
          }}
          {...context}
        />
      ))}
      {nodeErrors ? (
        <Text fz="xs" c="red" data-testid="config-errors">
          {nodeErrors}
        </Text>
      ) : null}
    </Stack>
  );
}
