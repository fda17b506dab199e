import { Anchor, Stack } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { PageHeader } from '../../../components/page-header';
import { notifySuccess } from '../../../lib/notify';
import { CreateAgentMutation } from '../api/agents.api';
import { AgentForm } from './agent-form';
import { NEW_AGENT_VALUES, toCreateInput, type AgentFormValues } from './agent-form-values';
import { agentPath } from './agents-table';
import { WithBuilderOptions } from './builder-options';

/** /agents/new: the builder for an agent that does not exist yet; saving creates it and opens it. */
export function NewAgentBuilder() {
  const navigate = useNavigate();
  const [state, create] = useMutation(CreateAgentMutation);

  const save = async (values: AgentFormValues) => {
    const result = await create({ input: toCreateInput(values) });
    const agent = result.data?.createAgent;
    if (!agent) return result.error ?? new Error('The server did not return the agent');
    notifySuccess(`${agent.name} is saved as version ${agent.version}. You can test it now.`, 'Agent created');
    navigate(agentPath(agent.id), { replace: true });
    return null;
  };

  return (
    <Stack gap={0}>
      <Anchor component={Link} to="/agents" fz="sm" mb="xs">
        ← Agents
      </Anchor>
      <PageHeader title="New agent" description="Give it instructions, a model, tools and limits. Save it to test it." />
      <WithBuilderOptions>
        {({ models, tools }) => (
          <AgentForm
            initialValues={NEW_AGENT_VALUES}
            models={models}
            tools={tools}
            readOnly={false}
            submitLabel="Create agent"
            onSubmit={save}
            submitting={state.fetching}
          />
        )}
      </WithBuilderOptions>
    </Stack>
  );
}
