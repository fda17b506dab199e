-- Workflows with immutable versions, runs with one task per node, the append-only run event log,
-- and human approvals.

CREATE TYPE workflow_status AS ENUM ('draft', 'active', 'archived');

CREATE TABLE workflows (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  definition jsonb NOT NULL,
  status workflow_status NOT NULL DEFAULT 'draft',
  version integer NOT NULL DEFAULT 1,
  -- Sealed with the secret box (HMAC needs the secret itself); null until a webhook secret is made.
  webhook_secret text,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workflows_org_updated_idx ON workflows (organization_id, updated_at DESC, id DESC);

CREATE TABLE workflow_versions (
  workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
  version integer NOT NULL,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  snapshot jsonb NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, version)
);

CREATE TYPE run_status AS ENUM ('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled');
CREATE TYPE task_status AS ENUM ('queued', 'running', 'waiting', 'succeeded', 'failed', 'skipped', 'cancelled');

-- A run keeps the definition it started with: editing the workflow never changes a run.
CREATE TABLE workflow_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
  workflow_version integer NOT NULL,
  definition jsonb NOT NULL,
  status run_status NOT NULL DEFAULT 'running',
  trigger text NOT NULL,
  input jsonb NOT NULL,
  output jsonb,
  error text,
  error_code text,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(20, 9) NOT NULL DEFAULT 0,
  started_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX workflow_runs_org_idx ON workflow_runs (organization_id, created_at DESC, id DESC);
CREATE INDEX workflow_runs_workflow_idx ON workflow_runs (workflow_id, created_at DESC);
CREATE INDEX workflow_runs_active_idx ON workflow_runs (organization_id, status) WHERE status IN ('queued', 'running', 'waiting');

-- One task per node and run: the unique key is what makes "a completed node never runs twice" hold.
CREATE TABLE tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  run_id uuid NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
  node_id text NOT NULL,
  node_type text NOT NULL,
  status task_status NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  input jsonb,
  output jsonb,
  output_port text,
  error text,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(20, 9) NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  UNIQUE (run_id, node_id)
);
CREATE INDEX tasks_org_month_idx ON tasks (organization_id, created_at);

-- Append-only. Every append happens under the run's row lock, so ids rise in commit order per run.
CREATE TABLE run_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  run_id uuid NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
  type text NOT NULL,
  node_id text,
  task_id uuid,
  message text,
  data jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX run_events_run_idx ON run_events (run_id, id);
CREATE INDEX run_events_created_idx ON run_events (created_at);

CREATE TYPE approval_status AS ENUM ('pending', 'approved', 'rejected', 'timed_out', 'cancelled');

CREATE TABLE approvals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  run_id uuid NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
  task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  node_id text NOT NULL,
  message text NOT NULL,
  details jsonb,
  assignee_role member_role NOT NULL DEFAULT 'member',
  status approval_status NOT NULL DEFAULT 'pending',
  comment text,
  decided_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  expires_at timestamptz
);
CREATE INDEX approvals_pending_idx ON approvals (organization_id, created_at) WHERE status = 'pending';

ALTER TABLE llm_calls ADD COLUMN run_id uuid REFERENCES workflow_runs (id) ON DELETE SET NULL;
ALTER TABLE llm_calls ADD COLUMN task_id uuid REFERENCES tasks (id) ON DELETE SET NULL;
CREATE INDEX llm_calls_task_idx ON llm_calls (task_id) WHERE task_id IS NOT NULL;
