//! Expiry timestamps in Python google-auth's format (`2026-11-25T18:00:00.000000Z`, UTC).

use std::time::SystemTime;

/// Formats like Python google-auth's `expiry.isoformat() + "Z"` (microseconds, UTC).
pub fn format_expiry(t: SystemTime) -> String {
    humantime::format_rfc3339_micros(t).to_string()
}

/// Parses `2026-11-25T18:00:00Z`, `...:00.123456Z`, `...:00` (naive UTC, as Python writes when
/// the `Z` is missing) or `...+00:00`.
pub fn parse_expiry(text: &str) -> Option<SystemTime> {
    let t = text.trim();
    let t = t
        .strip_suffix('Z')
        .or_else(|| t.strip_suffix("+00:00"))
        .unwrap_or(t);
    let t = t.replace(' ', "T");
    humantime::parse_rfc3339_weak(&format!("{t}Z")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn python_format_round_trip() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_629_600); // 2026-11-25T18:00:00Z
        let s = format_expiry(t);
        assert_eq!(s, "2026-11-25T18:00:00.000000Z");
        assert_eq!(parse_expiry(&s), Some(t));
        assert_eq!(parse_expiry("2026-11-25T18:00:00Z"), Some(t));
        assert_eq!(parse_expiry("2026-11-25T18:00:00"), Some(t));
        assert_eq!(parse_expiry("2026-11-25T18:00:00+00:00"), Some(t));
        assert_eq!(
            parse_expiry("2026-11-25T18:00:00.5Z"),
            Some(t + Duration::from_millis(500))
        );
        assert_eq!(parse_expiry("tomorrow"), None);
    }
}
