//! A small formula evaluator for `USER_ENTERED` formulas: numbers, strings, cell references
//! and ranges on the same sheet, `+ - * / &`, parentheses, and `SUM`, `AVERAGE`, `MIN`, `MAX`,
//! `COUNT`, `CONCATENATE`. Anything else evaluates to Sheets' error values (`#NAME?`,
//! `#DIV/0!`, `#VALUE!`, `#REF!`).

use super::a1::column_index;
use super::model::{Cell, Sheet};

/// What a formula evaluates to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    Number(f64),
    Text(String),
    Error(&'static str),
}

/// How deep references to other formulas are followed (a cycle ends as `#REF!`).
const MAX_DEPTH: usize = 32;

/// Evaluates `formula` (with its `=`) on `sheet`.
pub(crate) fn evaluate(sheet: &Sheet, formula: &str) -> Outcome {
    eval_at(sheet, formula, 0)
}

fn eval_at(sheet: &Sheet, formula: &str, depth: usize) -> Outcome {
    if depth > MAX_DEPTH {
        return Outcome::Error("#REF!");
    }
    let text = formula.strip_prefix('=').unwrap_or(formula);
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        sheet,
        depth,
    };
    let v = p.expr();
    p.ws();
    match v {
        Ok(v) if p.i == p.s.len() => v,
        Ok(_) => Outcome::Error("#ERROR!"),
        Err(e) => Outcome::Error(e),
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    sheet: &'a Sheet,
    depth: usize,
}

type R = Result<Outcome, &'static str>;

fn num(v: &Outcome) -> Result<f64, &'static str> {
    match v {
        Outcome::Number(n) => Ok(*n),
        Outcome::Text(t) if t.is_empty() => Ok(0.0),
        Outcome::Text(t) => t.trim().parse().map_err(|_| "#VALUE!"),
        Outcome::Error(e) => Err(e),
    }
}

fn text(v: &Outcome) -> Result<String, &'static str> {
    match v {
        Outcome::Number(n) => Ok(super::input::general(*n)),
        Outcome::Text(t) => Ok(t.clone()),
        Outcome::Error(e) => Err(e),
    }
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> R {
        let mut left = self.term()?;
        loop {
            if self.eat(b'+') {
                let r = self.term()?;
                left = Outcome::Number(num(&left)? + num(&r)?);
            } else if self.eat(b'-') {
                let r = self.term()?;
                left = Outcome::Number(num(&left)? - num(&r)?);
            } else if self.eat(b'&') {
                let r = self.term()?;
                left = Outcome::Text(text(&left)? + &text(&r)?);
            } else {
                return Ok(left);
            }
        }
    }

    fn term(&mut self) -> R {
        let mut left = self.factor()?;
        loop {
            if self.eat(b'*') {
                let r = self.factor()?;
                left = Outcome::Number(num(&left)? * num(&r)?);
            } else if self.eat(b'/') {
                let r = num(&self.factor()?)?;
                if r == 0.0 {
                    return Err("#DIV/0!");
                }
                left = Outcome::Number(num(&left)? / r);
            } else {
                return Ok(left);
            }
        }
    }

    fn word(&mut self) -> String {
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'$' || *b == b'_' || *b == b'.')
        {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }

    fn factor(&mut self) -> R {
        self.ws();
        match self.s.get(self.i) {
            None => Err("#ERROR!"),
            Some(b'-') => {
                self.i += 1;
                Ok(Outcome::Number(-num(&self.factor()?)?))
            }
            Some(b'+') => {
                self.i += 1;
                self.factor()
            }
            Some(b'(') => {
                self.i += 1;
                let v = self.expr()?;
                if !self.eat(b')') {
                    return Err("#ERROR!");
                }
                Ok(v)
            }
            Some(b'"') => {
                self.i += 1;
                let start = self.i;
                while self.s.get(self.i).is_some_and(|b| *b != b'"') {
                    self.i += 1;
                }
                let t = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                if !self.eat(b'"') {
                    return Err("#ERROR!");
                }
                Ok(Outcome::Text(t))
            }
            Some(b) if b.is_ascii_digit() || *b == b'.' => {
                let w = self.word();
                w.parse::<f64>().map(Outcome::Number).map_err(|_| "#ERROR!")
            }
            Some(_) => {
                let w = self.word();
                if w.is_empty() {
                    return Err("#ERROR!");
                }
                if self.eat(b'(') {
                    return self.call(&w.to_ascii_uppercase());
                }
                match w.to_ascii_uppercase().as_str() {
                    "TRUE" => return Ok(Outcome::Number(1.0)),
                    "FALSE" => return Ok(Outcome::Number(0.0)),
                    _ => {}
                }
                let (r, c) = cell_pos(&w).ok_or("#NAME?")?;
                self.cell_value(r, c)
            }
        }
    }

    fn cell_value(&self, row: u32, col: u32) -> R {
        Ok(match self.sheet.cell(row, col) {
            None => Outcome::Text(String::new()),
            Some(Cell::Number { value, .. }) => Outcome::Number(*value),
            Some(Cell::Bool(b)) => Outcome::Number(if *b { 1.0 } else { 0.0 }),
            Some(Cell::Text(t)) => Outcome::Text(t.clone()),
            Some(Cell::Formula(f)) => match eval_at(self.sheet, f, self.depth + 1) {
                Outcome::Error(e) => return Err(e),
                v => v,
            },
        })
    }

    /// One argument: a range `A1:B3` (its values) or an expression.
    fn arg(&mut self) -> Result<Vec<Outcome>, &'static str> {
        self.ws();
        let save = self.i;
        let first = self.word();
        if let Some(a) = cell_pos(&first)
            && self.eat(b':')
        {
            let second = self.word();
            let b = cell_pos(&second).ok_or("#NAME?")?;
            let mut out = Vec::new();
            for r in a.0.min(b.0)..=a.0.max(b.0) {
                for c in a.1.min(b.1)..=a.1.max(b.1) {
                    if self.sheet.cell(r, c).is_some() {
                        out.push(self.cell_value(r, c)?);
                    }
                }
            }
            return Ok(out);
        }
        self.i = save;
        Ok(vec![self.expr()?])
    }

    fn call(&mut self, name: &str) -> R {
        let mut values = Vec::new();
        if !self.eat(b')') {
            loop {
                values.extend(self.arg()?);
                if self.eat(b')') {
                    break;
                }
                if !self.eat(b',') {
                    return Err("#ERROR!");
                }
            }
        }
        let numbers = || -> Vec<f64> {
            values
                .iter()
                .filter_map(|v| match v {
                    Outcome::Number(n) => Some(*n),
                    _ => None,
                })
                .collect()
        };
        Ok(match name {
            "SUM" => Outcome::Number(numbers().iter().sum()),
            "COUNT" => Outcome::Number(numbers().len() as f64),
            "AVERAGE" => {
                let n = numbers();
                if n.is_empty() {
                    return Err("#DIV/0!");
                }
                Outcome::Number(n.iter().sum::<f64>() / n.len() as f64)
            }
            "MIN" => Outcome::Number(numbers().into_iter().reduce(f64::min).unwrap_or(0.0)),
            "MAX" => Outcome::Number(numbers().into_iter().reduce(f64::max).unwrap_or(0.0)),
            "CONCATENATE" => {
                let mut s = String::new();
                for v in &values {
                    s.push_str(&text(v)?);
                }
                Outcome::Text(s)
            }
            _ => return Err("#NAME?"),
        })
    }
}

/// `B3` → (row 2, column 1).
fn cell_pos(word: &str) -> Option<(u32, u32)> {
    let w = word.replace('$', "");
    let split = w.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = w.split_at(split);
    let col = column_index(letters)?;
    let row: u32 = digits.parse().ok()?;
    (row > 0).then_some((row - 1, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_simple_formulas() {
        let mut sheet = Sheet {
            sheet_id: 0,
            title: "S".into(),
            row_count: 10,
            column_count: 5,
            rows: Vec::new(),
        };
        let n = |v| {
            Some(Cell::Number {
                value: v,
                shown: None,
            })
        };
        sheet.set(0, 0, n(2.0));
        sheet.set(1, 0, n(3.0));
        sheet.set(2, 0, Some(Cell::Formula("=A1*A2".into())));
        sheet.set(0, 1, Some(Cell::Text("x".into())));
        assert_eq!(evaluate(&sheet, "=A1+A2*2"), Outcome::Number(8.0));
        assert_eq!(evaluate(&sheet, "=SUM(A1:A3)"), Outcome::Number(11.0));
        assert_eq!(evaluate(&sheet, "=AVERAGE(A1:A2, 4)"), Outcome::Number(3.0));
        assert_eq!(evaluate(&sheet, "=(A1+1)/0"), Outcome::Error("#DIV/0!"));
        assert_eq!(evaluate(&sheet, "=B1&\"y\""), Outcome::Text("xy".into()));
        assert_eq!(evaluate(&sheet, "=NOPE(1)"), Outcome::Error("#NAME?"));
        assert_eq!(evaluate(&sheet, "=B1+1"), Outcome::Error("#VALUE!"));
        sheet.set(3, 0, Some(Cell::Formula("=A4".into())));
        assert_eq!(evaluate(&sheet, "=A4"), Outcome::Error("#REF!"));
    }
}
