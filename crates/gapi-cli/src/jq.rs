//! `--jq EXPR`: a jq program run over the response (or each item of `--page-all`), with jaq,
//! a pure-Rust jq. As `gh api --jq` does, string results print raw and everything else as
//! one line of compact JSON.

use std::io::Write;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Native, Vars, data};
use jaq_json::Val;

type Data = data::JustLut<Val>;

/// A compiled jq program.
pub struct Jq {
    filter: jaq_core::compile::Filter<Native<Data>>,
}

impl Jq {
    /// Compiles `code`; a program that does not parse or names unknown filters is a usage
    /// error (exit 2).
    pub fn compile(code: &str) -> anyhow::Result<Jq> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let arena = Arena::default();
        let modules = Loader::new(defs)
            .load(&arena, File { code, path: () })
            .map_err(|errs| {
                let what: Vec<String> = errs
                    .iter()
                    .map(|(_, e)| match e {
                        jaq_core::load::Error::Io(v) => v
                            .iter()
                            .map(|(_, m)| m.clone())
                            .collect::<Vec<_>>()
                            .join("; "),
                        jaq_core::load::Error::Lex(v) => v
                            .iter()
                            .map(|(expect, at)| {
                                format!("expected {} at `{}`", expect.as_str(), near(at))
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                        jaq_core::load::Error::Parse(v) => v
                            .iter()
                            .map(|(expect, at)| {
                                format!("expected {} at `{}`", expect.as_str(), near(at))
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                    })
                    .collect();
                crate::exit::usage(format!("--jq program does not parse: {}", what.join("; ")))
            })?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errs| {
                let what: Vec<String> = errs
                    .iter()
                    .flat_map(|(_, v)| v.iter())
                    .map(|(name, undef)| format!("undefined {} `{name}`", undef.as_str()))
                    .collect();
                crate::exit::usage(format!("--jq program is invalid: {}", what.join("; ")))
            })?;
        Ok(Jq { filter })
    }

    /// Runs the program over one JSON value and writes each result on its own line.
    pub fn write(&self, out: &mut dyn Write, input: &serde_json::Value) -> anyhow::Result<()> {
        let bytes = serde_json::to_vec(input)?;
        let input = jaq_json::read::parse_single(&bytes)
            .map_err(|e| anyhow::anyhow!("--jq: the response is not JSON jq can read: {e}"))?;
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([]));
        for result in self.filter.id.run((ctx, input)).map(jaq_core::unwrap_valr) {
            match result {
                Ok(Val::TStr(s)) => {
                    out.write_all(&s)?;
                    out.write_all(b"\n")?;
                }
                Ok(v) => writeln!(out, "{v}")?,
                Err(e) => anyhow::bail!("--jq: {e}"),
            }
        }
        Ok(())
    }
}

/// The start of the program text where an error was found, for the message.
fn near(at: &str) -> String {
    let s: String = at.chars().take(20).collect();
    if s.is_empty() { "the end".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str, input: serde_json::Value) -> String {
        let mut out = Vec::new();
        Jq::compile(code).unwrap().write(&mut out, &input).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_print_raw_and_values_compact() {
        let v = serde_json::json!({"files": [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}]});
        assert_eq!(run(".files[].name", v.clone()), "a\nb\n");
        assert_eq!(run(".files | map(.id)", v.clone()), "[\"1\",\"2\"]\n");
        assert_eq!(run(".files | length", v), "2\n");
    }

    #[test]
    fn bad_programs_are_usage_errors() {
        for bad in [".files[", "nosuchfilter", ".a | $x"] {
            let err = Jq::compile(bad).err().expect(bad);
            assert_eq!(
                crate::exit::code_for(&err),
                crate::exit::USAGE,
                "{bad}: {err}"
            );
        }
    }
}
