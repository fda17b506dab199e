-- Agents with immutable versions, provider keys, test conversations, LLM call records and the LLM cache.

CREATE TYPE agent_status AS ENUM ('active', 'inactive', 'archived');

CREATE TABLE agents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name text NOT NULL,
  role text NOT NULL DEFAULT '',
  instructions text NOT NULL DEFAULT '',
  model text NOT NULL,
  tools text[] NOT NULL DEFAULT '{}',
  config jsonb NOT NULL,
  status agent_status NOT NULL DEFAULT 'active',
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_org_updated_idx ON agents (organization_id, updated_at DESC, id DESC);
CREATE INDEX agents_org_active_idx ON agents (organization_id) WHERE status = 'active';

-- One row per saved state of an agent, written in the transaction that saves it; never updated.
CREATE TABLE agent_versions (
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  version integer NOT NULL,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  snapshot jsonb NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agent_id, version)
);

-- Bring-your-own provider keys, AES-256-GCM encrypted with a key derived from APP_SECRET.
CREATE TABLE provider_credentials (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('anthropic', 'openai', 'gemini', 'openai_compatible')),
  encrypted_key text,
  key_hint text,
  base_url text,
  updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, provider)
);

CREATE TYPE agent_test_status AS ENUM ('running', 'succeeded', 'failed', 'stopped');

-- A test conversation turn from the builder's chat panel. Messages are stored as sent to the
-- provider (after PII redaction per the agent's policy).
CREATE TABLE agent_test_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  agent_version integer NOT NULL,
  status agent_test_status NOT NULL DEFAULT 'running',
  messages jsonb NOT NULL,
  reply text,
  error text,
  error_code text,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX agent_test_sessions_agent_idx ON agent_test_sessions (agent_id, started_at DESC);

-- The replayable events of a test session (text deltas are live only and not stored).
CREATE TABLE agent_test_events (
  session_id uuid NOT NULL REFERENCES agent_test_sessions (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, seq)
);

CREATE TYPE llm_call_status AS ENUM ('succeeded', 'failed', 'cached');

-- Every model call attempt: what it cost and why it was made. Costs are exact (nine decimals).
CREATE TABLE llm_calls (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  agent_id uuid REFERENCES agents (id) ON DELETE SET NULL,
  test_session_id uuid REFERENCES agent_test_sessions (id) ON DELETE SET NULL,
  model text NOT NULL,
  provider text NOT NULL,
  step integer NOT NULL,
  attempt integer NOT NULL,
  status llm_call_status NOT NULL,
  error text,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  cached_input_tokens integer NOT NULL DEFAULT 0,
  cost_usd numeric(20, 9) NOT NULL DEFAULT 0,
  latency_ms integer NOT NULL DEFAULT 0,
  route_reason text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX llm_calls_agent_idx ON llm_calls (agent_id, created_at);
CREATE INDEX llm_calls_session_idx ON llm_calls (test_session_id, id);
CREATE INDEX llm_calls_org_idx ON llm_calls (organization_id, created_at);

-- Identical requests (same model, messages, tools, parameters) answered within the TTL, per organization.
CREATE TABLE llm_cache (
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  key text NOT NULL,
  model text NOT NULL,
  response jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (organization_id, key)
);
CREATE INDEX llm_cache_expires_idx ON llm_cache (expires_at);
