//! What a written value becomes (`valueInputOption`) and how a cell is read back
//! (`valueRenderOption`). `RAW` stores strings as text; `USER_ENTERED` parses them as typing
//! into the UI would (en_US): numbers (`-1.5`, `1e3`, `1,234`, `50%`, `$1.50`), `TRUE`/`FALSE`,
//! formulas (`=...`), a leading `'` forcing text.

use serde_json::{Value, json};

use super::formula;
use super::model::{Cell, Sheet};
use crate::framework::api_error::ApiError;

/// `valueInputOption`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    Raw,
    UserEntered,
}

impl Input {
    /// Reads the required `valueInputOption` (Google's 400 when missing).
    pub(crate) fn from_param(value: Option<&str>) -> Result<Self, ApiError> {
        match value {
            Some("RAW") => Ok(Self::Raw),
            Some("USER_ENTERED") => Ok(Self::UserEntered),
            None | Some("") => Err(ApiError::new(
                400,
                "INVALID_ARGUMENT",
                "badRequest",
                "'valueInputOption' is required but not specified",
            )),
            Some(other) => Err(ApiError::invalid_param(
                "valueInputOption",
                format!("Invalid value at 'value_input_option' ({other}): use RAW or USER_ENTERED"),
            )),
        }
    }
}

/// `valueRenderOption`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Render {
    Formatted,
    Unformatted,
    Formula,
}

impl Render {
    pub(crate) fn from_param(value: Option<&str>) -> Result<Self, ApiError> {
        match value {
            None | Some("") | Some("FORMATTED_VALUE") => Ok(Self::Formatted),
            Some("UNFORMATTED_VALUE") => Ok(Self::Unformatted),
            Some("FORMULA") => Ok(Self::Formula),
            Some(other) => Err(ApiError::invalid_param(
                "valueRenderOption",
                format!("Invalid valueRenderOption: {other}"),
            )),
        }
    }
}

/// A number as typed (`1,234`, `-1.5e3`), if it is one.
fn plain_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || t.contains(char::is_whitespace) {
        return None;
    }
    let no_commas = if t.contains(',') {
        // Thousands separators only in the integer part, in groups of three.
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let int = int.trim_start_matches(['-', '+']);
        let groups: Vec<&str> = int.split(',').collect();
        if groups[0].is_empty()
            || groups[0].len() > 3
            || groups[1..].iter().any(|g| g.len() != 3)
            || frac.contains(',')
        {
            return None;
        }
        t.replace(',', "")
    } else {
        t.to_owned()
    };
    if !no_commas
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        || !no_commas.bytes().any(|b| b.is_ascii_digit())
    {
        return None;
    }
    no_commas.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The cell a value becomes; `None` clears the cell (an empty string).
pub(crate) fn to_cell(value: &Value, input: Input) -> Result<Option<Cell>, ApiError> {
    Ok(match value {
        Value::Null => return Ok(None),
        Value::Bool(b) => Some(Cell::Bool(*b)),
        Value::Number(n) => Some(Cell::Number {
            value: n.as_f64().unwrap_or(0.0),
            shown: None,
        }),
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(match input {
            Input::Raw => Cell::Text(s.clone()),
            Input::UserEntered => user_entered(s),
        }),
        Value::Array(_) | Value::Object(_) => {
            return Err(ApiError::bad_request(
                "Invalid values: each value must be a string, number or boolean.",
            ));
        }
    })
}

fn user_entered(s: &str) -> Cell {
    if let Some(text) = s.strip_prefix('\'') {
        return Cell::Text(text.to_owned());
    }
    if s.starts_with('=') && s.len() > 1 {
        return Cell::Formula(s.to_owned());
    }
    let t = s.trim();
    if t.eq_ignore_ascii_case("true") {
        return Cell::Bool(true);
    }
    if t.eq_ignore_ascii_case("false") {
        return Cell::Bool(false);
    }
    if let Some(v) = plain_number(t) {
        let shown = t.contains(',').then(|| t.to_owned());
        return Cell::Number { value: v, shown };
    }
    if let Some(p) = t.strip_suffix('%').and_then(plain_number) {
        return Cell::Number {
            value: p / 100.0,
            shown: Some(t.to_owned()),
        };
    }
    if let Some(rest) = t.strip_prefix('$').and_then(plain_number) {
        return Cell::Number {
            value: rest,
            shown: Some(t.to_owned()),
        };
    }
    Cell::Text(s.to_owned())
}

/// A number in Sheets' General format (`1`, `1.5`, `0.333333333333333`, `1E+21`).
pub(crate) fn general(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    if v.abs() >= 1e15 || (v != 0.0 && v.abs() < 1e-9) {
        let s = format!("{v:E}");
        let (m, e) = s.split_once('E').unwrap_or((&s, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        let sign = if e < 0 { '-' } else { '+' };
        return format!("{m}E{sign}{:02}", e.abs());
    }
    // 15 significant digits, trailing zeros dropped.
    let digits = 15 - (v.abs().log10().floor() as i32 + 1).max(0);
    let s = format!("{v:.*}", digits.clamp(0, 15) as usize);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A cell as `valueRenderOption` asks (FORMATTED: strings; UNFORMATTED: typed values;
/// FORMULA: the formula text where there is one).
pub(crate) fn render(cell: &Cell, sheet: &Sheet, render: Render) -> Value {
    match cell {
        Cell::Text(t) => json!(t),
        Cell::Bool(b) => match render {
            Render::Formatted => json!(if *b { "TRUE" } else { "FALSE" }),
            _ => json!(b),
        },
        Cell::Number { value, shown } => match render {
            Render::Formatted => json!(shown.clone().unwrap_or_else(|| general(*value))),
            _ => number_json(*value),
        },
        Cell::Formula(f) => match render {
            Render::Formula => json!(f),
            _ => match formula::evaluate(sheet, f) {
                formula::Outcome::Number(v) if render == Render::Formatted => json!(general(v)),
                formula::Outcome::Number(v) => number_json(v),
                formula::Outcome::Text(t) => json!(t),
                formula::Outcome::Error(e) => json!(e),
            },
        },
    }
}

fn number_json(v: f64) -> Value {
    if v == v.trunc() && v.abs() < 9.0e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_entered_parses_like_the_ui() {
        let num = |v| Cell::Number {
            value: v,
            shown: None,
        };
        assert_eq!(user_entered("42"), num(42.0));
        assert_eq!(user_entered("-1.5"), num(-1.5));
        assert_eq!(user_entered("1e3"), num(1000.0));
        assert_eq!(user_entered("TRUE"), Cell::Bool(true));
        assert_eq!(user_entered("false"), Cell::Bool(false));
        assert_eq!(user_entered("'42"), Cell::Text("42".into()));
        assert_eq!(user_entered("=A1+1"), Cell::Formula("=A1+1".into()));
        assert_eq!(
            user_entered("1,234"),
            Cell::Number {
                value: 1234.0,
                shown: Some("1,234".into())
            }
        );
        assert_eq!(
            user_entered("50%"),
            Cell::Number {
                value: 0.5,
                shown: Some("50%".into())
            }
        );
        assert_eq!(user_entered("1,23"), Cell::Text("1,23".into()));
        assert_eq!(user_entered("12 apples"), Cell::Text("12 apples".into()));
        assert_eq!(user_entered("e"), Cell::Text("e".into()));
        assert_eq!(user_entered("2026-03-01"), Cell::Text("2026-03-01".into()));
        assert_eq!(general(1.5), "1.5");
        assert_eq!(general(3.0), "3");
        assert_eq!(general(1.0 / 3.0), "0.333333333333333");
        assert_eq!(general(1e21), "1E+21");
        assert!(Input::from_param(None).is_err());
    }
}
