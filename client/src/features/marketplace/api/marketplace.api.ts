import { gql } from 'urql';

export type PluginKind = 'PLUGIN' | 'AGENT_TEMPLATE' | 'WORKFLOW_TEMPLATE';

export interface PluginPermissions {
  network: string[];
  secrets: string[];
}

export interface ListingTool {
  id: string;
  name: string;
  title: string | null;
  description: string;
  inputSchema: unknown;
}

export interface PluginVersion {
  id: string;
  version: string;
  changelog: string;
  sha256: string;
  sizeBytes: number;
  signed: boolean;
  permissions: PluginPermissions;
  tools: ListingTool[];
  /** The manifest's integration (title and auth), as data. */
  integration: unknown;
  createdAt: string;
}

export interface PluginInstallation {
  id: string;
  version: PluginVersion;
  /** An upgrade asking for more permissions, waiting for an admin's consent. */
  pendingVersion: PluginVersion | null;
  createdAt: string;
  updatedAt: string;
}

export interface ListingSummary {
  id: string;
  name: string;
  kind: PluginKind;
  title: string;
  description: string;
  categories: string[];
  priceCents: number;
  installable: boolean;
  featured: boolean;
  firstParty: boolean;
  publisherName: string;
  installCount: number;
  ratingAverage: number | null;
  ratingCount: number;
  latestVersion: { id: string; version: string } | null;
  installation: { id: string } | null;
}

export interface PluginReview {
  id: string;
  rating: number;
  body: string;
  authorName: string;
  organizationName: string;
  createdAt: string;
}

export interface Listing extends Omit<ListingSummary, 'latestVersion' | 'installation'> {
  private: boolean;
  latestVersion: PluginVersion | null;
  versions: PluginVersion[];
  reviews: PluginReview[];
  installation: PluginInstallation | null;
  canReview: boolean;
}

export interface ListingsPage {
  edges: { cursor: string; node: ListingSummary }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface ListingsVariables {
  search: string | null;
  kind: PluginKind | null;
  category: string | null;
  featured: boolean | null;
  first: number;
  after: string | null;
}

export interface TemplateModel {
  id: string;
  displayName: string;
  provider: string;
  available: boolean;
}

const SUMMARY_FIELDS = `id name kind title description categories priceCents installable featured firstParty publisherName
  installCount ratingAverage ratingCount latestVersion { id version } installation { id }`;
const VERSION_FIELDS = `id version changelog sha256 sizeBytes signed permissions { network secrets }
  tools { id name title description inputSchema } integration createdAt`;
const LISTING_FIELDS = `id name kind title description categories priceCents installable featured firstParty private publisherName
  installCount ratingAverage ratingCount canReview
  latestVersion { ${VERSION_FIELDS} }
  versions { ${VERSION_FIELDS} }
  reviews { id rating body authorName organizationName createdAt }
  installation { id createdAt updatedAt version { ${VERSION_FIELDS} } pendingVersion { ${VERSION_FIELDS} } }`;
const INSTALLATION_FIELDS = `id createdAt updatedAt version { ${VERSION_FIELDS} } pendingVersion { ${VERSION_FIELDS} } listing { id installCount }`;

export const MarketplaceListingsQuery = gql<{ marketplaceListings: ListingsPage }, ListingsVariables>(`
  query MarketplaceListings($search: String, $kind: PluginKind, $category: String, $featured: Boolean, $first: Int, $after: String) {
    marketplaceListings(search: $search, kind: $kind, category: $category, featured: $featured, first: $first, after: $after) {
      edges { cursor node { ${SUMMARY_FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const MarketplaceCategoriesQuery = gql<{ marketplaceCategories: string[] }, Record<string, never>>(`
  query MarketplaceCategories { marketplaceCategories }
`);

export const MarketplaceListingQuery = gql<{ marketplaceListing: Listing | null }, { name: string }>(`
  query MarketplaceListing($name: String!) { marketplaceListing(name: $name) { ${LISTING_FIELDS} } }
`);

/** The model picker of "Use template": this feature's own small query (features do not import each other). */
export const TemplateModelsQuery = gql<{ models: TemplateModel[] }, Record<string, never>>(`
  query TemplateModels { models { id displayName provider available } }
`);

export const InstallPluginMutation = gql<{ installPlugin: PluginInstallation }, { input: { listingId: string; version?: string } }>(`
  mutation InstallPlugin($input: InstallPluginInput!) { installPlugin(input: $input) { ${INSTALLATION_FIELDS} } }
`);

export const UpgradePluginMutation = gql<{ upgradePlugin: PluginInstallation }, { input: { installationId: string; version?: string } }>(`
  mutation UpgradePlugin($input: UpgradePluginInput!) { upgradePlugin(input: $input) { ${INSTALLATION_FIELDS} } }
`);

export const ApprovePluginUpgradeMutation = gql<{ approvePluginUpgrade: PluginInstallation }, { installationId: string }>(`
  mutation ApprovePluginUpgrade($installationId: ID!) { approvePluginUpgrade(installationId: $installationId) { ${INSTALLATION_FIELDS} } }
`);

export const UninstallPluginMutation = gql<{ uninstallPlugin: string }, { installationId: string }>(`
  mutation UninstallPlugin($installationId: ID!) { uninstallPlugin(installationId: $installationId) }
`);

export const ReviewPluginMutation = gql<{ reviewPlugin: PluginReview }, { input: { listingId: string; rating: number; body?: string } }>(`
  mutation ReviewPlugin($input: ReviewPluginInput!) { reviewPlugin(input: $input) { id rating body authorName organizationName createdAt } }
`);

export interface TemplateInstallation {
  installation: { id: string };
  agents: { id: string; name: string }[];
  workflow: { id: string; name: string } | null;
}

export const InstallTemplateMutation = gql<{ installTemplate: TemplateInstallation }, { input: { listingId: string; model?: string } }>(`
  mutation InstallTemplate($input: InstallTemplateInput!) {
    installTemplate(input: $input) { installation { id } agents { id name } workflow { id name } }
  }
`);
