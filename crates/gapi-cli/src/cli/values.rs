//! Values of options parsed by clap's `value_parser`s: durations and rates. Here, under the
//! grammar, so the grammar imports nothing of the code that runs the commands.

use std::time::Duration;

/// `--follow-interval`: `30` (seconds), `30s`, `500ms`, `5m`, `1h`.
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (&t[..i], t[i..].trim()),
        None => (t, "s"),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration; give e.g. 30, 30s, 500ms or 5m"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(format!("{text:?}: the unit must be ms, s, m or h")),
    };
    if !(secs.is_finite() && secs > 0.0 && secs <= 86_400.0) {
        return Err(format!(
            "{text:?}: give a duration above 0 and at most a day"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// `--rate`: calls per second, `50`, `50/s`, `0.5`.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let n: f64 = t
        .strip_suffix("/s")
        .unwrap_or(t)
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a rate; give calls per second, e.g. 50 or 50/s"))?;
    if !(n.is_finite() && n > 0.0) {
        return Err(format!("{text:?}: the rate must be above 0"));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_and_rates_parse() {
        assert_eq!(parse_interval("30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_interval("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_interval("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_interval("0.2").unwrap(), Duration::from_millis(200));
        assert!(parse_interval("0").is_err());
        assert!(parse_interval("5 parsecs").is_err());
        assert!(parse_interval("-1").is_err());
        assert_eq!(parse_rate("50/s").unwrap(), 50.0);
        assert_eq!(parse_rate("0.5").unwrap(), 0.5);
        assert!(parse_rate("0").is_err());
        assert!(parse_rate("fast").is_err());
    }
}
