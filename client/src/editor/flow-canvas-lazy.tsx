import { Suspense, lazy } from 'react';
import { Center, Loader } from '@mantine/core';
import type { FlowCanvasProps } from './ui/flow-canvas';

// Rete, its plugins and styled-components load with the first canvas; elkjs later still, on
// the first auto-arrange.
const FlowCanvas = lazy(() => import('./ui/flow-canvas'));

export type { FlowCanvasProps };

/** The workflow canvas, loaded on demand; `height` is the canvas's height while and after loading. */
export function LazyFlowCanvas({ height, ...props }: FlowCanvasProps & { height: number | string }) {
  return (
    <Suspense
      fallback={
        <Center h={height} data-testid={`${props.testId}-loading`} aria-busy="true" aria-label="Loading the canvas">
          <Loader type="dots" />
        </Center>
      }
    >
      <FlowCanvas {...props} style={{ height, ...props.style }} />
    </Suspense>
  );
}
