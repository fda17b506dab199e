import { useState } from 'react';
import { Alert, Anchor, Button, Card, Code, Grid, Group, Stack, TagsInput, Text, TextInput, Textarea } from '@mantine/core';
import { IconDeviceFloppy, IconFlask } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { CodeEditor } from '../../../components/code-editor';
import { ErrorAlert } from '../../../components/error-alert';
import { notifySuccess } from '../../../lib/notify';
import { SaveCustomToolMutation, TestCustomToolMutation, type CustomTool, type CustomToolDraft } from '../api/custom-tools.api';
import { JsonTextField } from './json-text-field';
import { TestResultPanel } from './test-result-panel';
import {
  STARTER_CODE,
  STARTER_SAMPLE,
  STARTER_SCHEMA,
  checkCode,
  checkHosts,
  checkInputSchema,
  checkSampleInput,
  checkToolName,
  toolNameOf,
} from './tool-draft';

// A save adds or changes a plugin tool: the agent builder's tool list must refetch.
const SAVE_CONTEXT = { additionalTypenames: ['PluginListing', 'ToolDefinition'] };

interface CustomToolBuilderProps {
  /** The saved tool being changed; undefined for a new one. */
  existing?: CustomTool;
}

function initialState(existing: CustomTool | undefined) {
  const tool = existing?.latestVersion?.tools[0];
  return {
    name: tool ? toolNameOf(tool.id) : '',
    description: tool?.description ?? existing?.description ?? '',
    schemaText: tool ? JSON.stringify(tool.inputSchema, null, 2) : STARTER_SCHEMA,
    code: existing?.latestVersion?.customToolCode ?? STARTER_CODE,
    hosts: existing?.latestVersion?.permissions.network ?? [],
    sampleText: STARTER_SAMPLE,
  };
}

/**
 * The custom tool builder: a name, a description the model reads, an input schema, JavaScript
 * that defines `run(input, ctx)` and the hosts it may reach. Test runs the draft in the sandbox
 * against sample input; Save publishes it as the organization's private plugin.
 */
export function CustomToolBuilder({ existing }: CustomToolBuilderProps) {
  const [state, setState] = useState(() => initialState(existing));
  const [submitted, setSubmitted] = useState(false);
  const [testResult, test] = useMutation(TestCustomToolMutation);
  const [saveResult, save] = useMutation(SaveCustomToolMutation);
  const [saved, setSaved] = useState<CustomTool | null>(null);
  const set = <K extends keyof typeof state>(key: K, value: (typeof state)[K]) => setState((s) => ({ ...s, [key]: value }));

  const schema = checkInputSchema(state.schemaText);
  const sample = checkSampleInput(state.sampleText, schema.ok ? schema.value : null);
  const errors = {
    name: checkToolName(state.name.trim()),
    description: state.description.trim() ? null : 'Say what the tool does: the model reads this to decide when to call it',
    schema: schema.ok ? null : schema.error,
    code: checkCode(state.code),
    hosts: checkHosts(state.hosts),
    sample: sample.ok ? null : sample.error,
  };
  const shown = (key: keyof typeof errors) => (submitted || key === 'schema' || key === 'hosts' || key === 'sample' ? errors[key] : null);

  const draft = (): CustomToolDraft | null => {
    setSubmitted(true);
    const { sample: _sample, ...toolErrors } = errors;
    if (Object.values(toolErrors).some(Boolean) || !schema.ok) return null;
    return { name: state.name.trim(), description: state.description.trim(), inputSchema: schema.value, code: state.code, network: state.hosts };
  };

  const runTest = async () => {
    const tool = draft();
    if (!tool || !sample.ok) return;
    await test({ input: { ...tool, input: sample.value } });
  };

  const runSave = async () => {
    const tool = draft();
    if (!tool) return;
    const result = await save({ input: tool }, SAVE_CONTEXT);
    const listing = result.data?.saveCustomTool;
    if (!listing) return;
    setSaved(listing);
    const toolId = listing.latestVersion?.tools[0]?.id ?? tool.name;
    notifySuccess(`Agents can now use ${toolId} (v${listing.latestVersion?.version ?? '?'}).`, 'Custom tool saved');
  };

  const savedTool = saved?.latestVersion?.tools[0];
  return (
    <Stack gap="lg" data-testid="custom-tool-builder">
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder radius="md" padding="lg">
            <Stack gap="md">
              <TextInput
                label="Name"
                description={existing ? 'A saved tool keeps its name; a new name makes a new tool.' : 'The tool name agents see, e.g. lookup_order'}
                value={state.name}
                onChange={(e) => set('name', e.currentTarget.value)}
                error={shown('name')}
                disabled={Boolean(existing)}
                withAsterisk
                data-testid="custom-tool-name"
              />
              <Textarea
                label="Description"
                description="What it does and when to use it: the model reads this"
                value={state.description}
                onChange={(e) => set('description', e.currentTarget.value)}
                error={shown('description')}
                autosize
                minRows={2}
                maxRows={6}
                withAsterisk
                data-testid="custom-tool-description"
              />
              <JsonTextField
                label="Input schema"
                description="JSON Schema of the arguments (an object)"
                value={state.schemaText}
                onChange={(text) => set('schemaText', text)}
                error={shown('schema')}
                testId="custom-tool-schema"
                minRows={8}
              />
              <TagsInput
                label="Allowed network hosts"
                description="ctx.fetch can reach only these (https), e.g. api.example.com or *.example.com. Press Enter after each."
                value={state.hosts}
                onChange={(hosts) => set('hosts', hosts.map((h) => h.trim().toLowerCase()).filter(Boolean))}
                error={shown('hosts')}
                clearable
                data-testid="custom-tool-hosts"
              />
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="md" padding="lg">
            <Stack gap="sm">
              <CodeEditor
                label="Code"
                description={
                  <>
                    Define <Code fz="xs">async function run(input, ctx)</Code> and return JSON. <Code fz="xs">ctx.fetch</Code> reaches only the allowed
                    hosts, <Code fz="xs">ctx.log(level, message, data)</Code> writes to the log. It runs sandboxed, with time and memory limits.
                  </>
                }
                value={state.code}
                onChange={(code) => set('code', code)}
                error={shown('code')}
                required
                testId="custom-tool-code"
                minHeight="300px"
              />
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
      <Card withBorder radius="md" padding="lg">
        <Stack gap="md">
          <Text fw={600}>Try it</Text>
          <JsonTextField
            label="Sample input"
            description="Arguments to run the draft with in the sandbox"
            value={state.sampleText}
            onChange={(text) => set('sampleText', text)}
            error={shown('sample')}
            testId="custom-tool-sample"
            minRows={3}
          />
          {testResult.error ? <ErrorAlert error={testResult.error} title="Could not run the test" testId="tool-test-request-error" /> : null}
          {testResult.data && !testResult.fetching ? <TestResultPanel result={testResult.data.testCustomTool} /> : null}
          {saveResult.error ? <ErrorAlert error={saveResult.error} title="Could not save the tool" testId="tool-save-error" /> : null}
          {savedTool ? (
            <Alert color="teal" variant="light" radius="md" data-testid="custom-tool-saved">
              Saved as v{saved?.latestVersion?.version}. Turn on <Code data-testid="custom-tool-id">{savedTool.id}</Code> in an{' '}
              <Anchor component={Link} to="/agents">
                agent's tools
              </Anchor>{' '}
              or pick it in a workflow tool node.
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="light" leftSection={<IconFlask size={16} />} onClick={() => void runTest()} loading={testResult.fetching} data-testid="custom-tool-test">
              Test
            </Button>
            <Button leftSection={<IconDeviceFloppy size={16} />} onClick={() => void runSave()} loading={saveResult.fetching} data-testid="custom-tool-save">
              Save
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
