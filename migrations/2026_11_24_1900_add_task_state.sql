-- An agent node parked on a tool call that needs a person's approval keeps its conversation here,
-- with the decisions taken so far, and resumes from it.
ALTER TABLE tasks ADD COLUMN state jsonb;
