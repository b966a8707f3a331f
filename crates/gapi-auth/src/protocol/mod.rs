//! The OAuth 2.0 wire protocol: authorization URLs, the token endpoint client, transport rules.

pub mod authorization;
pub mod endpoints;
pub(crate) mod google_api;
pub mod jwt;
pub mod pkce;
pub mod scopes;
pub mod timefmt;
pub mod token;
pub mod transport;

pub use authorization::AuthorizationRequest;
pub use token::{DeviceAuthorization, TokenClient, TokenInfo, TokenResponse};
pub use transport::{RetryPolicy, default_http_client, ensure_secure_endpoint};
