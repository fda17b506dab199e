import type { ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { StyleSheetManager } from 'styled-components';

// rete-react-plugin's styled components pass these to DOM elements, where React warns about them.
const NON_DOM_PROPS = new Set(['selected', 'styles']);

function shouldForwardProp(prop: string, target: unknown): boolean {
  return typeof target !== 'string' || !NON_DOM_PROPS.has(prop);
}

/** React 19 roots for rete-react-plugin, each inside a StyleSheetManager that filters props. */
export function createStyledRoot(container: Element | DocumentFragment) {
  const root = createRoot(container);
  return {
    render(children: ReactNode) {
      root.render(<StyleSheetManager shouldForwardProp={shouldForwardProp}>{children}</StyleSheetManager>);
    },
    unmount() {
      root.unmount();
    },
  };
}
