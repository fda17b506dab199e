-- The worst-case cost of a model call in flight, held against its agent's monthly cap so that
-- concurrent runs cannot together spend past it. Deleted when the call ends; a reservation left
-- by a crashed process stops counting at expires_at and is pruned by the maintenance job.
CREATE TABLE llm_budget_reservations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  agent_id uuid NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  cost_usd numeric(20, 9) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX llm_budget_reservations_agent_idx ON llm_budget_reservations (agent_id, expires_at);
