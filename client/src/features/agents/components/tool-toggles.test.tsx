import { useState } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { theme } from '../../../app/theme';
import type { ToolDefinition } from '../api/agents.api';
import { groupTools, ToolToggles } from './tool-toggles';

const tool = (id: string, plugin: string | null, title: string | null = null): ToolDefinition => ({
  id,
  name: id,
  title,
  plugin,
  description: `Does ${id}`,
});

const TOOLS = [
  tool('slack.post_message', 'slack', 'Post a message'),
  tool('current_time', null),
  tool('custom-lookup-order.lookup_order', 'custom-lookup-order'),
  tool('gmail.send_message', 'gmail', 'Send an e-mail'),
  tool('calculator', null),
  tool('slack.list_channels', 'slack', 'List channels'),
];

describe('groupTools', () => {
  it('groups built-ins, each plugin, custom tools, then tools no longer offered', () => {
    const groups = groupTools(TOOLS, ['calculator', 'http.request']);
    expect(groups.map((g) => [g.label, g.tools.map((t) => t.id)])).toEqual([
      ['Built-in', ['calculator', 'current_time']],
      ['gmail', ['gmail.send_message']],
      ['slack', ['slack.list_channels', 'slack.post_message']],
      ['Custom tools', ['custom-lookup-order.lookup_order']],
      ['Unavailable', ['http.request']],
    ]);
  });

  it('leaves out empty groups', () => {
    expect(groupTools([tool('calculator', null)], []).map((g) => g.key)).toEqual(['builtin']);
    expect(groupTools([], [])).toEqual([]);
  });
});

function Harness({ initial }: { initial: string[] }) {
  const [value, setValue] = useState(initial);
  const [approval, setApproval] = useState<string[]>([]);
  return (
    <MantineProvider theme={theme} env="test">
      <ToolToggles tools={TOOLS} value={value} onChange={setValue} requiringApproval={approval} onRequiringApprovalChange={setApproval} disabled={false} />
      <output data-testid="value">{value.join(',')}</output>
      <output data-testid="approval">{approval.join(',')}</output>
    </MantineProvider>
  );
}

describe('ToolToggles', () => {
  it('shows each plugin tool under its plugin with its title and id, and toggles it by id', () => {
    render(<Harness initial={['calculator']} />);
    const slack = screen.getByRole('group', { name: 'slack' });
    expect(within(slack).getByText('Post a message')).toBeTruthy();
    expect(within(slack).getByText('slack.post_message')).toBeTruthy();
    expect(within(screen.getByTestId('tool-group-custom')).getByTestId('tool-toggle-custom-lookup-order.lookup_order')).toBeTruthy();

    fireEvent.click(screen.getByTestId('tool-toggle-slack.post_message'));
    expect(screen.getByTestId('value').textContent).toBe('calculator,slack.post_message');
    fireEvent.click(screen.getByTestId('tool-approval-slack.post_message'));
    expect(screen.getByTestId('approval').textContent).toBe('slack.post_message');
  });

  it('keeps a tool whose plugin was uninstalled removable', () => {
    render(<Harness initial={['http.request']} />);
    const gone = screen.getByTestId('tool-group-gone');
    expect(gone.textContent).toContain('No longer available');
    fireEvent.click(within(gone).getByTestId('tool-toggle-http.request'));
    expect(screen.getByTestId('value').textContent).toBe('');
    expect(screen.queryByTestId('tool-group-gone')).toBeNull();
  });
});
