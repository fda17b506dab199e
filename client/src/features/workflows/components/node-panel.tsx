import { ActionIcon, Badge, Button, Code, Divider, Group, List, NumberInput, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconTrash, IconUnlink } from '@tabler/icons-react';
import { nodeTypeInfo, type DefinitionEdge, type DefinitionNode } from '../../../editor/core/definition';
import type { NodeData } from '../../../editor/core/flow-node';
import { errorsByField, fieldLabel, type FieldError } from '../../../editor/core/node-validation';
import type { PickerAgent, PickerTool } from '../api/workflows.api';
import { ConfigForm } from './config-form';

interface NodePanelProps {
  node: DefinitionNode;
  /** Edges into or out of the node. */
  edges: readonly DefinitionEdge[];
  nodeNames: Readonly<Record<string, string>>;
  fieldErrors: readonly FieldError[];
  /** The server's problems with this node (graph rules). */
  problems: readonly string[];
  readOnly: boolean;
  agents: readonly PickerAgent[];
  tools: readonly PickerTool[];
  onChange: (data: NodeData) => void;
  onDelete: () => void;
  onRemoveEdge: (id: string) => void;
}

function dataOf(node: DefinitionNode): NodeData {
  const data: NodeData = { name: node.name, config: node.config };
  if (node.retry) data.retry = node.retry;
  if (node.timeoutSeconds !== undefined) data.timeoutSeconds = node.timeoutSeconds;
  return data;
}

const optionalNumber = (value: string | number): number | undefined => (value === '' ? undefined : Number(value));

/** The side panel for the selected node: name, type-specific config, timeout and retries. */
export function NodePanel({ node, edges, nodeNames, fieldErrors, problems, readOnly, agents, tools, onChange, onDelete, onRemoveEdge }: NodePanelProps) {
  const info = nodeTypeInfo(node.type);
  const data = dataOf(node);
  const errors = errorsByField(fieldErrors);
  const change = (patch: Partial<NodeData>) => {
    const next: NodeData = { ...data, ...patch };
    if (next.retry === undefined) delete next.retry;
    if (next.timeoutSeconds === undefined) delete next.timeoutSeconds;
    onChange(next);
  };
  const error = (field: string) => errors[field]?.join('; ');
  const allProblems = [...fieldErrors.map((e) => `${fieldLabel(e.field)}: ${e.message}`), ...problems];

  return (
    <Stack gap="md" data-testid="node-panel" data-node-id={node.id}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2}>
          <Group gap={6}>
            <Badge variant="light" size="sm" data-testid="node-panel-type">
              {info.label}
            </Badge>
            <Code fz="xs" data-testid="node-panel-id">
              {node.id}
            </Code>
          </Group>
          <Title order={4} fz="md" style={{ overflowWrap: 'anywhere' }}>
            {node.name || 'Unnamed node'}
          </Title>
        </Stack>
        {!readOnly ? (
          <Tooltip label="Delete node (Delete key)" withArrow>
            <ActionIcon variant="subtle" color="red" aria-label="Delete node" onClick={onDelete} data-testid="node-delete">
              <IconTrash size={18} />
            </ActionIcon>
          </Tooltip>
        ) : null}
      </Group>

      {allProblems.length > 0 ? (
        <List size="xs" c="red" spacing={2} data-testid="node-problems">
          {allProblems.map((problem) => (
            <List.Item key={problem}>{problem}</List.Item>
          ))}
        </List>
      ) : null}

      <TextInput
        label="Name"
        withAsterisk
        value={node.name}
        onChange={(event) => change({ name: event.currentTarget.value })}
        error={error('name')}
        disabled={readOnly}
        data-testid="node-name-input"
      />

      <ConfigForm nodeType={node.type} value={node.config} onChange={(config) => change({ config })} errors={errors} readOnly={readOnly} agents={agents} tools={tools} />

      <Divider label="Timeout and retries" labelPosition="left" />
      <NumberInput
        label="Timeout (seconds)"
        description="Fail the step when it runs longer. Empty: the server's default."
        value={node.timeoutSeconds ?? ''}
        onChange={(value) => change({ timeoutSeconds: optionalNumber(value) })}
        min={1}
        max={86400}
        error={error('timeoutSeconds')}
        disabled={readOnly}
        data-testid="node-timeout-input"
      />
      <Group grow align="flex-start">
        <NumberInput
          label="Attempts"
          description="In total; empty: once"
          value={node.retry?.attempts ?? ''}
          onChange={(value) => {
            const attempts = optionalNumber(value);
            change({ retry: attempts === undefined ? undefined : { ...node.retry, attempts } });
          }}
          min={1}
          max={10}
          allowDecimal={false}
          error={error('retry/attempts') ?? error('retry')}
          disabled={readOnly}
          data-testid="node-retry-attempts"
        />
        <NumberInput
          label="Backoff (s)"
          description="Doubles each retry"
          value={node.retry?.backoffSeconds ?? ''}
          onChange={(value) => {
            if (!node.retry) return;
            const backoffSeconds = optionalNumber(value);
            const retry = { attempts: node.retry.attempts, ...(backoffSeconds === undefined ? {} : { backoffSeconds }) };
            change({ retry });
          }}
          min={0}
          max={3600}
          placeholder="1"
          error={error('retry/backoffSeconds')}
          disabled={readOnly || !node.retry}
          data-testid="node-retry-backoff"
        />
      </Group>

      <Divider label="Connections" labelPosition="left" />
      {edges.length === 0 ? (
        <Text fz="xs" c="dimmed">
          {readOnly ? 'Not connected.' : 'Drag from an output socket (right) to an input socket (left) to connect.'}
        </Text>
      ) : (
        <Stack gap={4} data-testid="node-connections">
          {edges.map((edge) => (
            <Group key={edge.id} justify="space-between" wrap="nowrap" gap="xs" data-testid={`node-connection-${edge.id}`}>
              <Text fz="xs" style={{ overflowWrap: 'anywhere' }}>
                {edge.source === node.id
                  ? `${edge.sourceOutput} → ${nodeNames[edge.target] ?? edge.target}`
                  : `${nodeNames[edge.source] ?? edge.source} (${edge.sourceOutput}) → ${edge.targetInput}`}
              </Text>
              {!readOnly ? (
                <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`Remove connection ${edge.id}`} onClick={() => onRemoveEdge(edge.id)} data-testid={`connection-remove-${edge.id}`}>
                  <IconUnlink size={14} />
                </ActionIcon>
              ) : null}
            </Group>
          ))}
        </Stack>
      )}
      {!readOnly ? (
        <Button variant="subtle" color="red" size="xs" leftSection={<IconTrash size={14} />} onClick={onDelete} style={{ alignSelf: 'flex-start' }}>
          Delete this node
        </Button>
      ) : null}
    </Stack>
  );
}
