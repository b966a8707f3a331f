//! PKCE (RFC 7636, S256 only) and `state` generation from the OS CSPRNG.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{Error, ErrorKind, Result};
use crate::secret::{PkceVerifier, State};

fn random_urlsafe(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| {
        Error::new(
            ErrorKind::Config,
            format!("the operating system's random number generator failed: {e}"),
        )
    })?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// A fresh PKCE verifier: 64 random bytes, base64url without padding (86 chars of the
/// unreserved set, within RFC 7636's 43..=128).
pub(crate) fn new_verifier() -> Result<PkceVerifier> {
    Ok(PkceVerifier::new(random_urlsafe(64)?))
}

/// The S256 challenge for a verifier: `BASE64URL(SHA256(verifier))`.
pub(crate) fn s256_challenge(verifier: &PkceVerifier) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.secret().as_bytes(),
    ))
}

/// A fresh anti-CSRF `state` (32 random bytes).
pub(crate) fn new_state() -> Result<State> {
    Ok(State::new(random_urlsafe(32)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        let v = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            s256_challenge(&v),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_shape() {
        let v = new_verifier().unwrap();
        let s = v.secret();
        assert!((43..=128).contains(&s.len()));
        assert!(
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
        );
        assert_ne!(s, new_verifier().unwrap().secret());
        assert_ne!(new_state().unwrap().secret(), new_state().unwrap().secret());
    }
}
