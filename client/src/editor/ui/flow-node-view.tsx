import type { ClassicPreset } from 'rete';
import { Presets, type RenderEmit } from 'rete-react-plugin';
import { nodeTypeInfo } from '../core/definition';
import type { FlowConnection, FlowNode, FlowSchemes } from '../core/flow-node';
import { NODE_STATUS_LOOK } from '../core/run-status';

/*
 * Renderers for the canvas. Each runs in its own React root (rete-react-plugin), outside the
 * app's providers: plain elements and the classes of flow-canvas.css, no Mantine.
 *
 * Test hooks: the node is `node-<id>` (with data-status in the run monitor); each port's socket
 * is wrapped in `socket-in-<id>-<port>` / `socket-out-<id>-<port>`, whose child keeps the
 * plugin's `input-socket` / `output-socket`.
 */

function PortRow({ node, side, portKey, port, emit }: { node: FlowNode; side: 'input' | 'output'; portKey: string; port: { socket: ClassicPreset.Socket }; emit: RenderEmit<FlowSchemes> }) {
  return (
    <div className={`af-port af-port--${side}`} data-port={portKey}>
      <Presets.classic.RefSocket
        name="af-socket-ref"
        side={side}
        socketKey={portKey}
        nodeId={node.id}
        emit={emit}
        payload={port.socket}
        data-testid={`socket-${side === 'input' ? 'in' : 'out'}-${node.id}-${portKey}`}
      />
      <span className="af-port__label">{portKey}</span>
    </div>
  );
}

export function FlowNodeView({ data, emit }: { data: FlowNode; emit: RenderEmit<FlowSchemes> }) {
  const info = nodeTypeInfo(data.nodeType);
  const status = data.runStatus;
  const look = status ? NODE_STATUS_LOOK[status] : null;
  const problems = data.problems;
  const classes = ['af-node', `af-node--type-${data.nodeType}`];
  if (data.selected) classes.push('af-node--selected');
  if (problems.length > 0) classes.push('af-node--invalid');
  if (status) classes.push(`af-node--${status.toLowerCase()}`);
  const title = problems.length > 0 ? problems.join('\n') : look ? `${data.label} · ${look.label}` : `${data.label} (${info.label})`;
  return (
    <div
      className={classes.join(' ')}
      style={{ width: data.width, height: data.height }}
      title={title}
      data-testid={`node-${data.id}`}
      data-node-id={data.id}
      data-node-type={data.nodeType}
      data-status={status ?? undefined}
      data-selected={data.selected ? 'true' : 'false'}
      data-invalid={problems.length > 0 ? 'true' : 'false'}
    >
      <div className="af-node__header">
        <div className="af-node__name" data-testid="node-title">
          {data.label}
        </div>
        <div className="af-node__meta">
          <span className="af-node__type">{info.label}</span>
          {problems.length > 0 ? (
            <span className="af-node__problems" data-testid="node-problem-count" aria-label={`${problems.length} problems`}>
              {problems.length}
            </span>
          ) : look ? (
            <span className="af-node__status" data-testid="node-status">
              {look.label}
            </span>
          ) : null}
        </div>
      </div>
      <div className="af-node__ports">
        <div className="af-node__column">
          {Object.entries(data.inputs).map(([key, input]) =>
            input ? <PortRow key={key} node={data} side="input" portKey={key} port={input} emit={emit} /> : null,
          )}
        </div>
        <div className="af-node__column af-node__column--outputs">
          {Object.entries(data.outputs).map(([key, output]) =>
            output ? <PortRow key={key} node={data} side="output" portKey={key} port={output} emit={emit} /> : null,
          )}
        </div>
      </div>
    </div>
  );
}

/** The socket dot; `side` and `port` come from the render signal, not from the socket payload. */
export function socketView(side: 'input' | 'output', port: string) {
  return function SocketView() {
    return <div className={`af-socket af-socket--${side}`} data-port={port} data-testid={`${side}-socket`} />;
  };
}

export function FlowConnectionView({ data }: { data: FlowConnection & { isPseudo?: boolean } }) {
  const { path } = Presets.classic.useConnection();
  if (!path) return null;
  return (
    <svg
      className={`af-edge${data.isPseudo ? ' af-edge--pseudo' : ''}${data.sourceOutput === 'error' ? ' af-edge--error' : ''}`}
      data-testid="connection"
      data-edge-id={data.id}
      data-source={data.source}
      data-source-output={data.sourceOutput}
      data-target={data.target}
      data-target-input={data.targetInput}
    >
      <path d={path} />
    </svg>
  );
}
