import type { ReactNode } from 'react';
import { ErrorAlert } from '../../../components/error-alert';
import { TableSkeleton } from '../../../components/table-skeleton';
import type { Model, ToolDefinition } from '../api/agents.api';
import { useModels, useTools } from '../hooks/use-models';

/** Renders `children` once the model catalog and the tool list are loaded. */
export function WithBuilderOptions({ children }: { children: (options: { models: Model[]; tools: ToolDefinition[] }) => ReactNode }) {
  const models = useModels();
  const tools = useTools();
  if (models.models && tools.tools) return children({ models: models.models, tools: tools.tools });
  const error = models.error ?? tools.error;
  if (error) {
    return (
      <ErrorAlert
        error={error}
        title="Could not load the models and tools"
        onRetry={() => {
          models.reload();
          tools.reload();
        }}
      />
    );
  }
  return <TableSkeleton rows={6} />;
}
