import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { RenderEmit } from 'rete-react-plugin';
import { FlowNode, type FlowSchemes } from '../core/flow-node';
import { FlowNodeView } from './flow-node-view';

function node(status: FlowNode['runStatus'], problems: string[] = []) {
  const flow = new FlowNode({ id: 'check', type: 'condition', name: 'Urgent?', config: { combinator: 'all', rules: [] } });
  flow.runStatus = status;
  flow.problems = problems;
  return flow;
}

describe('FlowNodeView', () => {
  it('shows name, type and one socket per port, reachable by node and port', () => {
    const emit = vi.fn<RenderEmit<FlowSchemes>>();
    render(<FlowNodeView data={node(null)} emit={emit} />);
    const view = screen.getByTestId('node-check');
    expect(view.textContent).toContain('Urgent?');
    expect(view.textContent).toContain('Condition');
    for (const id of ['socket-in-check-in', 'socket-out-check-true', 'socket-out-check-false', 'socket-out-check-error']) {
      expect(screen.getByTestId(id)).toBeTruthy();
    }
    // Each socket asks the area to render into it, with its side and port.
    expect(emit).toHaveBeenCalledWith(expect.objectContaining({ type: 'render', data: expect.objectContaining({ type: 'socket', nodeId: 'check', side: 'output', key: 'true' }) }));
  });

  it.each([
    ['QUEUED', 'af-node--queued'],
    ['RUNNING', 'af-node--running'],
    ['WAITING', 'af-node--waiting'],
    ['SUCCEEDED', 'af-node--succeeded'],
    ['FAILED', 'af-node--failed'],
    ['SKIPPED', 'af-node--skipped'],
    ['CANCELLED', 'af-node--cancelled'],
  ] as const)('colours a %s node with %s and says so in data-status', (status, className) => {
    render(<FlowNodeView data={node(status)} emit={() => {}} />);
    const view = screen.getByTestId('node-check');
    expect(view.getAttribute('data-status')).toBe(status);
    expect(view.classList.contains(className)).toBe(true);
  });

  it('marks a node with problems red and lists them in its tooltip', () => {
    render(<FlowNodeView data={node(null, ['rules: Add at least 1', 'Urgent? is not connected'])} emit={() => {}} />);
    const view = screen.getByTestId('node-check');
    expect(view.getAttribute('data-invalid')).toBe('true');
    expect(view.classList.contains('af-node--invalid')).toBe(true);
    expect(view.getAttribute('title')).toBe('rules: Add at least 1\nUrgent? is not connected');
    expect(screen.getByTestId('node-problem-count').textContent).toBe('2');
  });
});
