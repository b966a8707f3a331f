//! The seeded robot service account's key: a FIXED PUBLIC TEST key (`keys/robot-test-key.pem`,
//! made by `keys/make-robot-test-key.sh`), RS256 signing and verifying with ring, and the JSON
//! key file as the Cloud console writes it.

use std::sync::OnceLock;

use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{self, KeyPair as _, RsaKeyPair, RsaPublicKeyComponents};
use sha2::{Digest, Sha256};

/// The PKCS#8 PEM of the robot's test key (public on purpose: it signs for this emulator only).
const ROBOT_KEY_PEM: &str = include_str!("../../../keys/robot-test-key.pem");

/// The parsed key and its id.
pub(crate) struct RobotKey {
    pair: RsaKeyPair,
    /// `private_key_id` / JWT `kid`: hex of the public key's SHA-256, 40 digits as Google's.
    pub key_id: String,
}

/// The robot's key, parsed once.
pub(crate) fn robot_key() -> &'static RobotKey {
    static KEY: OnceLock<RobotKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let der = pem_body(ROBOT_KEY_PEM);
        // The key is a fixed file checked by the unit test below: failing here is a build defect.
        let pair =
            RsaKeyPair::from_pkcs8(&der).expect("keys/robot-test-key.pem is a PKCS#8 RSA key");
        let digest = Sha256::digest(pair.public_key().as_ref());
        let key_id = digest.iter().take(20).map(|b| format!("{b:02x}")).collect();
        RobotKey { pair, key_id }
    })
}

fn pem_body(pem: &str) -> Vec<u8> {
    let b64: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::trim)
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap_or_default()
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl RobotKey {
    /// PKCS#1 v1.5 SHA-256 signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Vec<u8> {
        let mut sig = vec![0u8; self.pair.public().modulus_len()];
        // Signing with a valid key into a buffer of the modulus' length cannot fail.
        if self
            .pair
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut sig,
            )
            .is_err()
        {
            sig.clear();
        }
        sig
    }

    /// A compact RS256 JWT of `claims`, `kid` = [`Self::key_id`].
    pub(crate) fn sign_jwt(&self, claims: &serde_json::Value) -> String {
        let header = serde_json::json!({"alg": "RS256", "kid": self.key_id, "typ": "JWT"});
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let sig = self.sign(input.as_bytes());
        format!("{input}.{}", b64url(&sig))
    }

    /// Whether `sig` is this key's RS256 signature of `message` (checked with the public key's
    /// components only, as a verifier holding the certificate would).
    pub(crate) fn verify(&self, message: &[u8], sig: &[u8]) -> bool {
        let components: RsaPublicKeyComponents<Vec<u8>> = self.pair.public().into();
        components
            .verify(&signature::RSA_PKCS1_2048_8192_SHA256, message, sig)
            .is_ok()
    }
}

/// The robot's JSON key file as the Cloud console writes it, its `token_uri` this emulator's.
pub(crate) fn service_account_key_json(base_url: &str) -> serde_json::Value {
    let email = super::ROBOT;
    serde_json::json!({
        "type": "service_account",
        "project_id": super::PROJECT_ID,
        "private_key_id": robot_key().key_id,
        "private_key": ROBOT_KEY_PEM,
        "client_email": email,
        "client_id": super::ROBOT_CLIENT_ID,
        "auth_uri": format!("{base_url}/o/oauth2/auth"),
        "token_uri": format!("{base_url}/token"),
        "auth_provider_x509_cert_url": format!("{base_url}/oauth2/v1/certs"),
        "client_x509_cert_url": format!("{base_url}/robot/v1/metadata/x509/{}", email.replace('@', "%40")),
        "universe_domain": "googleapis.com",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_signs_and_verifies() {
        let key = robot_key();
        assert_eq!(key.key_id.len(), 40);
        let sig = key.sign(b"hello");
        assert!(key.verify(b"hello", &sig));
        assert!(!key.verify(b"hellO", &sig));
    }
}
