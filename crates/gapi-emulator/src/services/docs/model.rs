//! A document's body as Docs models it: paragraphs of styled text runs, each paragraph ending
//! with a newline that carries the paragraph's style (named style, bullet). For editing, the
//! body is flattened to characters, so every index is a UTF-16 offset as Docs counts them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A text style (`bold`, `italic`, `link`, `weightedFontFamily`, ...), as Docs' JSON.
pub(crate) type TextStyle = Map<String, Value>;

/// A paragraph's style and bullet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub(crate) struct ParaStyle {
    /// `NORMAL_TEXT`, `HEADING_1`..`HEADING_6`, `TITLE`, `SUBTITLE`.
    pub named: String,
    /// Other paragraph style members set by `updateParagraphStyle` (alignment, ...).
    pub extra: Map<String, Value>,
    /// `(listId, nestingLevel)`.
    pub bullet: Option<(String, u32)>,
}

impl ParaStyle {
    pub(crate) fn normal() -> Self {
        Self {
            named: "NORMAL_TEXT".into(),
            ..Default::default()
        }
    }
}

/// A run of equally styled text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Run {
    pub text: String,
    pub style: TextStyle,
}

/// A paragraph: its runs (the last ends with `\n`) and style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Paragraph {
    pub runs: Vec<Run>,
    pub style: ParaStyle,
}

/// A document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Document {
    pub id: String,
    pub owner: String,
    pub title: String,
    pub revision: String,
    pub paragraphs: Vec<Paragraph>,
    /// List id → bullet preset (`BULLET_DISC_CIRCLE_SQUARE`, `NUMBERED_DECIMAL_ALPHA_ROMAN`).
    pub lists: BTreeMap<String, String>,
}

/// Docs' saved state.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct DocsData {
    pub documents: BTreeMap<String, Document>,
}

/// One character of the flattened body; a `\n` carries its paragraph's style.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    pub ch: char,
    pub style: TextStyle,
    pub para: Option<ParaStyle>,
}

impl Unit {
    /// UTF-16 length (2 outside the Basic Multilingual Plane).
    pub(crate) fn len16(&self) -> usize {
        self.ch.len_utf16()
    }
}

/// Body text starts at index 1 (index 0 is the section break).
pub(crate) const BODY_START: usize = 1;

/// The body as characters.
pub(crate) fn flatten(paragraphs: &[Paragraph]) -> Vec<Unit> {
    let mut out = Vec::new();
    for p in paragraphs {
        for run in &p.runs {
            for ch in run.text.chars() {
                out.push(Unit {
                    ch,
                    style: run.style.clone(),
                    para: (ch == '\n').then(|| p.style.clone()),
                });
            }
        }
    }
    out
}

/// Characters back to paragraphs (a missing final newline is added).
pub(crate) fn unflatten(mut units: Vec<Unit>) -> Vec<Paragraph> {
    if units.last().is_none_or(|u| u.ch != '\n') {
        units.push(Unit {
            ch: '\n',
            style: TextStyle::new(),
            para: Some(ParaStyle::normal()),
        });
    }
    let mut out = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    for u in units {
        match runs.last_mut() {
            Some(r) if r.style == u.style => r.text.push(u.ch),
            _ => runs.push(Run {
                text: u.ch.to_string(),
                style: u.style.clone(),
            }),
        }
        if u.ch == '\n' {
            out.push(Paragraph {
                runs: std::mem::take(&mut runs),
                style: u.para.unwrap_or_else(ParaStyle::normal),
            });
        }
    }
    out
}

/// The position in `units` of UTF-16 index `index` (body indices start at 1), if it falls
/// on a character boundary (or the end).
pub(crate) fn position(units: &[Unit], index: usize) -> Option<usize> {
    let mut at = BODY_START;
    for (i, u) in units.iter().enumerate() {
        if at == index {
            return Some(i);
        }
        if at > index {
            return None;
        }
        at += u.len16();
    }
    (at == index).then_some(units.len())
}

/// The UTF-16 end index of the body.
pub(crate) fn end_index(units: &[Unit]) -> usize {
    BODY_START + units.iter().map(Unit::len16).sum::<usize>()
}

/// A new document's body: one empty paragraph.
pub(crate) fn empty_body() -> Vec<Paragraph> {
    vec![Paragraph {
        runs: vec![Run {
            text: "\n".into(),
            style: TextStyle::new(),
        }],
        style: ParaStyle::normal(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_round_trips_and_counts_utf16() {
        let paras = vec![Paragraph {
            runs: vec![
                Run {
                    text: "a😀".into(),
                    style: TextStyle::new(),
                },
                Run {
                    text: "b\n".into(),
                    style: serde_json::from_str(r#"{"bold":true}"#).unwrap(),
                },
            ],
            style: ParaStyle::normal(),
        }];
        let units = flatten(&paras);
        assert_eq!(end_index(&units), 1 + 1 + 2 + 1 + 1);
        assert_eq!(position(&units, 2), Some(1));
        assert_eq!(position(&units, 3), None, "inside a surrogate pair");
        assert_eq!(position(&units, 4), Some(2));
        assert_eq!(unflatten(units), paras);
    }
}
