import { useState } from 'react';
import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ErrorAlert } from '../../../components/error-alert';
import { notifySuccess } from '../../../lib/notify';
import { InstallTemplateMutation, TemplateModelsQuery, type Listing, type TemplateModel } from '../api/marketplace.api';

/** Select's value for "keep the models the template names". */
const TEMPLATE_MODELS = '__template__';

const option = (m: TemplateModel) => ({ value: m.id, label: m.available ? m.displayName : `${m.displayName} (no key)` });

interface UseTemplateModalProps {
  listing: Pick<Listing, 'id' | 'title' | 'kind'>;
  opened: boolean;
  onClose: () => void;
}

/** Creates the template's agents (and workflow) in the organization, then opens what was created. */
export function UseTemplateModal({ listing, opened, onClose }: UseTemplateModalProps) {
  const navigate = useNavigate();
  const [model, setModel] = useState<string>(TEMPLATE_MODELS);
  const [{ data, fetching, error }, reexecute] = useQuery({ query: TemplateModelsQuery, pause: !opened });
  const [result, installTemplate] = useMutation(InstallTemplateMutation);

  // Models the organization can call first: a template on a model without a key cannot run.
  const models = data?.models ?? [];
  const options = [
    { group: 'Template', items: [{ value: TEMPLATE_MODELS, label: "The template's own models" }] },
    { group: 'Ready to use', items: models.filter((m) => m.available).map(option) },
    { group: 'Needs a provider key', items: models.filter((m) => !m.available).map(option) },
  ].filter((g) => g.items.length > 0);

  const submit = async () => {
    const outcome = await installTemplate({ input: { listingId: listing.id, ...(model === TEMPLATE_MODELS ? {} : { model }) } });
    const created = outcome.data?.installTemplate;
    if (!created) return; // the error shows in the dialog
    onClose();
    if (created.workflow) {
      notifySuccess(`${created.workflow.name} and its agents are ready to edit and run.`, 'Template added');
      navigate(`/workflows/${encodeURIComponent(created.workflow.id)}`);
    } else if (created.agents[0]) {
      notifySuccess(`${created.agents[0].name} is ready to test and edit.`, 'Template added');
      navigate(`/agents/${encodeURIComponent(created.agents[0].id)}`);
    }
  };

  const what = listing.kind === 'WORKFLOW_TEMPLATE' ? 'a workflow and the agents it uses' : 'an agent';
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Use {listing.title}</Text>} centered radius="md">
      <Stack gap="md">
        <Text fz="sm">This creates {what} in this organization, which you can then change like any other.</Text>
        {error && !data ? (
          <ErrorAlert error={error} title="Could not load the models" onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : (
          <Select
            label="Model for the agents"
            description="Pick a model your organization has a key for, or keep the template's choice."
            data={options}
            value={model}
            onChange={(next) => setModel(next ?? TEMPLATE_MODELS)}
            allowDeselect={false}
            searchable
            disabled={fetching && !data}
            comboboxProps={{ withinPortal: true }}
            data-testid="template-model"
          />
        )}
        {result.error ? <ErrorAlert error={result.error} title="Could not use the template" /> : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void submit()} loading={result.fetching} data-testid="use-template-submit">
            Create
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
