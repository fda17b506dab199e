/** Generated at build time from the definition schema (vite-plugins/workflow-node-validator.ts). */
declare module 'virtual:workflow-node-validator' {
  import type { ErrorObject } from 'ajv';

  export const validateNode: {
    (data: unknown): boolean;
    errors?: ErrorObject[] | null;
  };
}
