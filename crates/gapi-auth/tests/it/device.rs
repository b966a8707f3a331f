//! The device flow (RFC 8628): pending, slow_down, expiry, denial, default interval.

use crate::support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use gapi_auth::{DeviceOptions, ErrorKind, InstalledFlow};
use support::{DeviceStep, Mock};

fn flow(mock: &Mock) -> InstalledFlow {
    InstalledFlow::new(mock.secrets(), ["drive.file"]).retry_policy(support::fast_retry())
}

fn fast() -> DeviceOptions {
    DeviceOptions::new()
        .default_interval(Duration::from_millis(10))
        .slow_down_step(Duration::from_millis(40))
}

#[tokio::test]
async fn pending_slow_down_then_approved() {
    let mock = Mock::start().await;
    mock.with(|s| {
        s.device_interval = Some(0);
        s.device_steps = vec![
            DeviceStep::Pending,
            DeviceStep::SlowDown,
            DeviceStep::Pending,
            DeviceStep::Approve,
        ];
    });
    let shown = Arc::new(Mutex::new(None));
    let shown2 = shown.clone();
    let started = std::time::Instant::now();
    let creds = flow(&mock)
        .run_device(fast().on_prompt(Box::new(move |p| {
            *shown2.lock().unwrap() = Some((p.verification_url.clone(), p.user_code.clone()));
        })))
        .await
        .unwrap();
    assert_eq!(
        shown.lock().unwrap().clone(),
        Some((
            "https://example.com/device".to_string(),
            "ABCD-EFGH".to_string()
        ))
    );
    assert!(creds.access_token().await.is_ok());
    assert_eq!(
        mock.token_requests
            .load(std::sync::atomic::Ordering::SeqCst),
        4
    );
    // After slow_down the two remaining polls waited 40 ms each.
    assert!(started.elapsed() >= Duration::from_millis(80));
    let form = mock.with(|s| s.token_form_log[0].clone());
    assert_eq!(
        form["grant_type"],
        "urn:ietf:params:oauth:grant-type:device_code"
    );
}

#[tokio::test]
async fn missing_interval_uses_default() {
    let mock = Mock::start().await;
    mock.with(|s| s.device_steps = vec![DeviceStep::Pending, DeviceStep::Approve]);
    let creds = flow(&mock)
        .run_device(fast().on_prompt(Box::new(|_| {})))
        .await
        .unwrap();
    assert!(creds.access_token().await.is_ok());
}

#[tokio::test]
async fn expired_token_stops() {
    let mock = Mock::start().await;
    mock.with(|s| s.device_steps = vec![DeviceStep::Pending, DeviceStep::Expired]);
    let err = flow(&mock)
        .run_device(fast().on_prompt(Box::new(|_| {})))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DeviceCodeExpired);
    assert!(err.is_timeout());
    assert!(err.hint().is_some_and(|h| !h.is_empty()), "{err:?}");
}

#[tokio::test]
async fn denied_stops() {
    let mock = Mock::start().await;
    mock.with(|s| s.device_steps = vec![DeviceStep::Denied]);
    let err = flow(&mock)
        .run_device(fast().on_prompt(Box::new(|_| {})))
        .await
        .unwrap_err();
    assert!(err.is_access_denied(), "{err:?}");
}

#[tokio::test]
async fn local_timeout_stops_polling() {
    let mock = Mock::start().await; // always pending
    let err = flow(&mock)
        .run_device(
            fast()
                .timeout(Duration::from_millis(100))
                .on_prompt(Box::new(|_| {})),
        )
        .await
        .unwrap_err();
    assert!(err.is_timeout());
}
