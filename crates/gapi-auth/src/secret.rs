//! Newtypes for every secret that travels through the crate.
//!
//! Their `Debug` prints `Name([redacted])` so a stray `{:?}` or a `tracing` field never leaks a
//! credential; the value is reached only through `secret()`.

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident, clone) => {
        secret_type!($(#[$meta])* #[derive(Clone)] $name);
    };
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret value itself; do not log it.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// Consumes the wrapper and returns the secret value.
            pub fn into_secret(self) -> String {
                self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_type!(
    /// The OAuth client secret of an installed app (not really secret for installed apps, but
    /// still kept out of logs).
    ClientSecret,
    clone
);
secret_type!(
    /// A single-use authorization code returned by the consent screen.
    AuthorizationCode,
    clone
);
secret_type!(
    /// A bearer access token for API calls.
    AccessToken,
    clone
);
secret_type!(
    /// A long-lived refresh token.
    RefreshToken,
    clone
);
secret_type!(
    /// The PKCE code verifier (RFC 7636); deliberately not `Clone`.
    PkceVerifier
);
secret_type!(
    /// An OpenID Connect ID token (a signed JWT naming the user).
    IdToken,
    clone
);
secret_type!(
    /// The device code of a device flow (RFC 8628); only the `user_code` is shown to users.
    DeviceCode,
    clone
);
secret_type!(
    /// The anti-CSRF `state` value sent with the authorization request.
    State,
    clone
);

secret_type!(
    /// A PEM-encoded private key (a service account's `private_key`); kept out of logs.
    PrivateKeyPem,
    clone
);
secret_type!(
    /// A developer API key, sent as `x-goog-api-key`.
    ApiKey,
    clone
);
secret_type!(
    /// A signed JWT assertion or a third-party subject token (OIDC, SAML, AWS) being exchanged.
    Assertion,
    clone
);

impl State {
    /// Compares with a received value in constant time.
    pub fn matches(&self, received: &str) -> bool {
        use subtle::ConstantTimeEq;
        let a = self.0.as_bytes();
        let b = received.as_bytes();
        a.len() == b.len() && bool::from(a.ct_eq(b))
    }
}

impl PartialEq for AccessToken {
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        self.0.len() == other.0.len() && bool::from(self.0.as_bytes().ct_eq(other.0.as_bytes()))
    }
}

impl Eq for AccessToken {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let t = AccessToken::new("ya29.very-secret");
        assert_eq!(format!("{t:?}"), "AccessToken([redacted])");
        assert_eq!(
            format!("{:?}", PkceVerifier::new("v")),
            "PkceVerifier([redacted])"
        );
        assert_eq!(t.secret(), "ya29.very-secret");
    }

    #[test]
    fn state_matches_only_equal_values() {
        let s = State::new("abc");
        assert!(s.matches("abc"));
        assert!(!s.matches("abd"));
        assert!(!s.matches("ab"));
        assert!(!s.matches(""));
    }
}
