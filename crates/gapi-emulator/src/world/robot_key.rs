//! The seeded robot service account's key: a FIXED PUBLIC TEST key (`keys/robot-test-key.pem`,
//! made by `keys/make-robot-test-key.sh`), RS256 signing and verifying with ring, and the JSON
//! key file as the Cloud console writes it.

use std::sync::OnceLock;

use ring::signature::KeyPair as _;

use super::project::{PROJECT_ID, ROBOT, ROBOT_CLIENT_ID};
use crate::framework::crypto::{SigningKey, hex_id, pem_body};

/// The PKCS#8 PEM of the robot's test key (public on purpose: it signs for this emulator only).
const ROBOT_KEY_PEM: &str = include_str!("../../keys/robot-test-key.pem");

/// The parsed key and its id.
pub(crate) struct RobotKey {
    key: SigningKey,
    /// `private_key_id` / JWT `kid`: hex of the public key's SHA-256, 40 digits as Google's.
    pub key_id: String,
}

/// The robot's key, parsed once.
pub(crate) fn robot_key() -> &'static RobotKey {
    static KEY: OnceLock<RobotKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let der = pem_body(ROBOT_KEY_PEM);
        // The key is a fixed file checked by the unit test below: failing here is a build defect.
        let pair = ring::signature::RsaKeyPair::from_pkcs8(&der)
            .expect("keys/robot-test-key.pem is a PKCS#8 RSA key");
        let key_id = hex_id(pair.public_key().as_ref());
        let key = SigningKey::from_pkcs8(&der, key_id.clone())
            .expect("keys/robot-test-key.pem is a PKCS#8 RSA key");
        RobotKey { key, key_id }
    })
}

impl RobotKey {
    /// PKCS#1 v1.5 SHA-256 signature of `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.key.sign_rs256(message)
    }

    /// A compact RS256 JWT of `claims`, `kid` = [`Self::key_id`].
    pub(crate) fn sign_jwt(&self, claims: &serde_json::Value) -> String {
        self.key.sign_jwt(claims)
    }

    /// Whether `sig` is this key's RS256 signature of `message` (checked with the public key's
    /// components only, as a verifier holding the certificate would).
    pub(crate) fn verify(&self, message: &[u8], sig: &[u8]) -> bool {
        self.key.verify_rs256(message, sig)
    }
}

/// The robot's JSON key file as the Cloud console writes it, its `token_uri` this emulator's.
pub(crate) fn service_account_key_json(base_url: &str) -> serde_json::Value {
    let email = ROBOT;
    serde_json::json!({
        "type": "service_account",
        "project_id": PROJECT_ID,
        "private_key_id": robot_key().key_id,
        "private_key": ROBOT_KEY_PEM,
        "client_email": email,
        "client_id": ROBOT_CLIENT_ID,
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
