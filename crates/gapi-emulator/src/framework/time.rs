//! Wall-clock helpers: milliseconds since the epoch, and RFC 3339 as Google writes it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// `2025-06-01T12:00:00.000Z` for a millisecond timestamp.
pub(crate) fn rfc3339(ms: u64) -> String {
    humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(ms)).to_string()
}

/// Parses `2025-06-01T12:00:00Z`, with or without fraction or `Z` (UTC assumed).
pub(crate) fn parse_rfc3339(text: &str) -> Option<u64> {
    let t = humantime::parse_rfc3339_weak(text.trim()).ok()?;
    t.duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_millis()).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_google_timestamps() {
        let ms = parse_rfc3339("2025-06-01T12:00:00.000Z").unwrap();
        assert_eq!(ms, 1_748_779_200_000);
        assert_eq!(rfc3339(ms), "2025-06-01T12:00:00.000Z");
        assert_eq!(parse_rfc3339("2025-06-01T12:00:00"), Some(ms));
        assert_eq!(parse_rfc3339("not a date"), None);
    }
}
