//! The OAuth 2.0 wire protocol: authorization URLs with PKCE and state, the token endpoint
//! client, Google's endpoints, scope names, JWT signing, expiry timestamps and the transport
//! rules (https unless loopback, no redirects, one retry loop). Knows no credential type.

pub(crate) mod authorization;
pub(crate) mod endpoints;
#[cfg(feature = "service-accounts")]
pub(crate) mod google_api;
#[cfg(feature = "service-accounts")]
pub mod jwt;
pub(crate) mod pkce;
pub mod scopes;
pub mod timefmt;
pub(crate) mod token;
pub(crate) mod transport;

pub(crate) use authorization::AuthorizationRequest;
pub use endpoints::{Endpoints, GOOGLE_AUTH_URI, GOOGLE_TOKEN_URI, tokeninfo_beside};
pub use token::{DeviceAuthorization, TokenClient, TokenInfo, TokenResponse};
pub use transport::{RetryPolicy, default_http_client, ensure_secure_endpoint};
