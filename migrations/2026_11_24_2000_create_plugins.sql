-- Plugins and templates: the marketplace catalog (listings, immutable versions), installations
-- pinned to a version, reviews by installers, and integrations (an organization's credentials
-- for the service a plugin talks to).

CREATE TYPE plugin_kind AS ENUM ('plugin', 'agent_template', 'workflow_template');

-- A listing is global; `publisher_organization_id` is null for first-party (AgentFlow's own)
-- listings. Private listings (custom tools) are visible to and installable by their publisher only.
CREATE TABLE plugin_listings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9-]{1,62}[a-z0-9]$'),
  publisher_organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
  kind plugin_kind NOT NULL,
  visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private')),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  categories text[] NOT NULL DEFAULT '{}',
  price_cents integer NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
  featured boolean NOT NULL DEFAULT false,
  -- Ed25519 public key pinned at first publish: every later version must be signed by it.
  signing_public_key text,
  latest_version text,
  install_count integer NOT NULL DEFAULT 0,
  rating_count integer NOT NULL DEFAULT 0,
  rating_sum integer NOT NULL DEFAULT 0,
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(title, '') || ' ' || name), 'A') ||
    setweight(to_tsvector('english', coalesce(description, '')), 'B')
  ) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Public names are global; a private listing (a custom tool, always named `custom-…`, a prefix
-- public names may not use) is unique within its organization.
CREATE UNIQUE INDEX plugin_listings_public_name_idx ON plugin_listings (name) WHERE visibility = 'public';
CREATE UNIQUE INDEX plugin_listings_private_name_idx ON plugin_listings (publisher_organization_id, name) WHERE visibility = 'private';
CREATE INDEX plugin_listings_search_idx ON plugin_listings USING gin (search);
CREATE INDEX plugin_listings_categories_idx ON plugin_listings USING gin (categories);
CREATE INDEX plugin_listings_publisher_idx ON plugin_listings (publisher_organization_id);

CREATE TABLE plugin_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES plugin_listings (id) ON DELETE CASCADE,
  version text NOT NULL,
  manifest jsonb NOT NULL,
  bundle text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  signature jsonb,
  changelog text NOT NULL DEFAULT '',
  size_bytes integer NOT NULL,
  published_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (listing_id, version)
);

-- An organization has at most one installation of a listing, pinned to one version. An upgrade
-- that asks for more permissions waits in `pending_version_id` until an admin consents.
CREATE TABLE plugin_installations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  listing_id uuid NOT NULL REFERENCES plugin_listings (id) ON DELETE CASCADE,
  version_id uuid NOT NULL REFERENCES plugin_versions (id),
  pending_version_id uuid REFERENCES plugin_versions (id),
  installed_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, listing_id)
);
CREATE INDEX plugin_installations_listing_idx ON plugin_installations (listing_id);

-- One review per organization and listing, only by organizations that installed it.
CREATE TABLE plugin_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id uuid NOT NULL REFERENCES plugin_listings (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (listing_id, organization_id)
);

CREATE TYPE integration_status AS ENUM ('connected', 'error', 'disconnected');

-- An organization's credentials for one plugin's service (one per plugin and organization).
-- `credentials` is sealed with the secret box (AES-256-GCM, key from APP_SECRET).
CREATE TABLE integrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  plugin_name text NOT NULL,
  name text NOT NULL,
  auth_type text NOT NULL CHECK (auth_type IN ('oauth2', 'apiKey')),
  status integration_status NOT NULL DEFAULT 'disconnected',
  status_message text,
  -- OAuth client id/secret (sealed) for oauth2 integrations: each organization registers its own app.
  oauth_client text,
  credentials text,
  token_expires_at timestamptz,
  last_used_at timestamptz,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, plugin_name)
);

-- An OAuth 2.0 authorization in flight: the state parameter's hash, the PKCE verifier (sealed).
CREATE TABLE oauth_states (
  state_hash text PRIMARY KEY,
  integration_id uuid NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  code_verifier text NOT NULL,
  expires_at timestamptz NOT NULL
);
