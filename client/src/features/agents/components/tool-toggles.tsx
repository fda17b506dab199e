import type { ReactNode } from 'react';
import { Badge, Checkbox, Code, Group, Stack, Switch, Text } from '@mantine/core';
import type { ToolDefinition } from '../api/agents.api';

interface ToolTogglesProps {
  tools: readonly ToolDefinition[];
  /** Tool ids the agent may call. */
  value: string[];
  onChange: (value: string[]) => void;
  /** Enabled tools whose calls wait for a person's approval in workflow runs. */
  requiringApproval: string[];
  onRequiringApprovalChange: (value: string[]) => void;
  disabled: boolean;
  error?: ReactNode;
}

export interface ToolGroup {
  key: string;
  label: string;
  /** `builtin`, an installed plugin, a custom tool (private plugin `custom-…`), or tools no longer offered. */
  kind: 'builtin' | 'plugin' | 'custom' | 'gone';
  tools: ToolDefinition[];
}

const CUSTOM_PREFIX = 'custom-';

const byId = (a: ToolDefinition, b: ToolDefinition) => a.id.localeCompare(b.id);

/**
 * The tools grouped by where they come from: built-ins first, then each installed plugin (by
 * name), then custom tools, and last the agent's tools that the server no longer offers (an
 * uninstalled plugin), which stay listed so they can be turned off.
 */
export function groupTools(tools: readonly ToolDefinition[], enabled: readonly string[]): ToolGroup[] {
  const builtin: ToolDefinition[] = [];
  const plugins = new Map<string, ToolDefinition[]>();
  const custom: ToolDefinition[] = [];
  for (const tool of tools) {
    if (!tool.plugin) builtin.push(tool);
    else if (tool.plugin.startsWith(CUSTOM_PREFIX)) custom.push(tool);
    else plugins.set(tool.plugin, [...(plugins.get(tool.plugin) ?? []), tool]);
  }
  const known = new Set(tools.map((t) => t.id));
  const gone = enabled
    .filter((id) => !known.has(id))
    .map((id): ToolDefinition => ({ id, name: id, title: null, plugin: null, description: 'No longer available: its plugin was uninstalled or changed.' }));

  const groups: ToolGroup[] = [];
  if (builtin.length > 0) groups.push({ key: 'builtin', label: 'Built-in', kind: 'builtin', tools: builtin.sort(byId) });
  for (const [plugin, list] of [...plugins].sort(([a], [b]) => a.localeCompare(b))) {
    groups.push({ key: `plugin:${plugin}`, label: plugin, kind: 'plugin', tools: list.sort(byId) });
  }
  if (custom.length > 0) groups.push({ key: 'custom', label: 'Custom tools', kind: 'custom', tools: custom.sort(byId) });
  if (gone.length > 0) groups.push({ key: 'gone', label: 'Unavailable', kind: 'gone', tools: gone });
  return groups;
}

/** One switch per tool the server offers, grouped by plugin; tools the agent has but the server no longer lists stay removable. */
export function ToolToggles({ tools, value, onChange, requiringApproval, onRequiringApprovalChange, disabled, error }: ToolTogglesProps) {
  const groups = groupTools(tools, value);
  const toggle = (id: string, on: boolean) => onChange(on ? [...value.filter((n) => n !== id), id] : value.filter((n) => n !== id));
  const toggleApproval = (id: string, on: boolean) =>
    onRequiringApprovalChange(on ? [...requiringApproval.filter((n) => n !== id), id] : requiringApproval.filter((n) => n !== id));

  return (
    <Stack gap="md" data-testid="tool-toggles">
      {groups.length === 0 ? (
        <Text fz="sm" c="dimmed">
          No tools yet: install a plugin from the Marketplace or build a custom tool.
        </Text>
      ) : (
        groups.map((group) => (
          <Stack key={group.key} gap="xs" data-testid={`tool-group-${group.key}`} role="group" aria-label={group.label}>
            <Group gap={6}>
              <Text fz="xs" fw={700} tt="uppercase" c="dimmed">
                {group.label}
              </Text>
              {group.kind === 'plugin' ? (
                <Badge size="xs" variant="outline" color="gray">
                  plugin
                </Badge>
              ) : null}
            </Group>
            {group.tools.map((tool) => (
              <Stack key={tool.id} gap={4}>
                <Switch
                  checked={value.includes(tool.id)}
                  onChange={(e) => toggle(tool.id, e.currentTarget.checked)}
                  disabled={disabled}
                  data-testid={`tool-toggle-${tool.id}`}
                  label={
                    <Group gap={6} wrap="nowrap">
                      {tool.title ? (
                        <Text fz="sm" fw={500}>
                          {tool.title}
                        </Text>
                      ) : null}
                      <Code fz="xs">{tool.id}</Code>
                    </Group>
                  }
                  description={tool.description}
                />
                {value.includes(tool.id) ? (
                  <Checkbox
                    ml={48}
                    size="xs"
                    checked={requiringApproval.includes(tool.id)}
                    onChange={(e) => toggleApproval(tool.id, e.currentTarget.checked)}
                    disabled={disabled}
                    data-testid={`tool-approval-${tool.id}`}
                    label="In workflow runs, ask a person to approve each call (with its arguments)"
                  />
                ) : null}
              </Stack>
            ))}
          </Stack>
        ))
      )}
      {error ? (
        <Text fz="xs" c="red">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}
