//! The jq engine (jaq) as the `gapi __jq-worker` child runs it: the program compiled once,
//! then run over each input with every result collected before any leaves the process.
//!
//! On top of jaq's standard library: `@csv` and `@tsv` (jq's rules), `$ENV`, a `fromjson`
//! that refuses text nested deeper than jq's own parser limit, and `debug`, `stderr` and
//! `halt_error` messages kept with the reply (jaq would send them to a logger nobody reads).

use std::cell::RefCell;
use std::io::Write;

use jaq_core::box_iter::box_once;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::native::{Filter, bome, v};
use jaq_core::{Compiler, Ctx, Exn, RunPtr, ValXs, Vars, data};
use jaq_json::Val;
use jaq_std::ValT as _;

use super::wire::{Kind, Reply};

type Data = data::JustLut<Val>;
type JqError = jaq_core::Error<Val>;

/// `fromjson` refuses text nested deeper than this: jq's own parser limit (jq 1.7).
pub const MAX_PARSE_DEPTH: usize = 10_000;
/// The results for one input may take at most this many bytes (they are held until the
/// program has finished with that input).
pub const MAX_OUTPUT: usize = 256 << 20;

/// Definitions over jaq's: `halt_error` says its message the way jq does.
const DEFS: &str = r#"
def halt_error($exit_code): halt_error_message_empty, halt($exit_code);
def halt_error: halt_error(5);
"#;

thread_local! {
    /// What `debug`, `stderr` and `halt_error` said while the current input ran.
    static MESSAGES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn say(bytes: &[u8]) {
    MESSAGES.with(|m| m.borrow_mut().extend_from_slice(bytes));
}

/// A compiled program and the value of `$ENV`.
pub struct Engine {
    filter: jaq_core::Filter<Data>,
    env: Val,
}

impl Engine {
    /// Compiles `code`; the error text says what is wrong and where.
    pub fn compile(code: &str) -> Result<Engine, String> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs())
            .chain(jaq_core::load::parse(DEFS, |p| p.defs()).unwrap_or_default());
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
                format!("--jq program does not parse: {}", what.join("; "))
            })?;
        let filter = Compiler::default()
            .with_funs(natives())
            .with_global_vars(["$ENV"])
            .compile(modules)
            .map_err(|errs| {
                let what: Vec<String> = errs
                    .iter()
                    .flat_map(|(_, v)| v.iter())
                    .map(|(name, undef)| format!("undefined {} `{name}`", undef.as_str()))
                    .collect();
                format!("--jq program is invalid: {}", what.join("; "))
            })?;
        let env = Val::obj(
            std::env::vars_os()
                .map(|(k, v)| {
                    (
                        Val::from(k.to_string_lossy().into_owned()),
                        Val::from(v.to_string_lossy().into_owned()),
                    )
                })
                .collect(),
        );
        Ok(Engine { filter, env })
    }

    /// Runs the program over one JSON text: every result (strings raw, other values as
    /// compact JSON, one per line), or why it stopped.
    pub fn run(&self, input: &[u8]) -> Reply {
        MESSAGES.with(|m| m.borrow_mut().clear());
        let (kind, body) = self.results(input);
        Reply {
            kind,
            messages: MESSAGES.with(|m| std::mem::take(&mut *m.borrow_mut())),
            body,
        }
    }

    fn results(&self, input: &[u8]) -> (Kind, Vec<u8>) {
        let input = match jaq_json::read::parse_single(input) {
            Ok(v) => v,
            Err(e) => return failed(format!("the response is not JSON jq can read: {e}")),
        };
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([self.env.clone()]));
        let mut out = Vec::new();
        for result in self.filter.id.run((ctx, input)) {
            match result {
                Ok(Val::TStr(s)) => {
                    out.extend_from_slice(&s);
                    out.push(b'\n');
                }
                Ok(v) => {
                    // Writing to a Vec cannot fail.
                    let _ = writeln!(out, "{v}");
                }
                Err(exn) => {
                    return match exn.get_err() {
                        Ok(e) => failed(error_text(e)),
                        Err(exn) => match exn.get_halt() {
                            Ok(code) => (Kind::Halt(code), out),
                            Err(_) => failed("jaq stopped with an internal exception".into()),
                        },
                    };
                }
            }
            if out.len() > MAX_OUTPUT {
                return failed(format!(
                    "the program's output for one response passed {} MiB (it is held until the \
                     program finishes, so that a failure prints nothing); narrow the program",
                    MAX_OUTPUT >> 20
                ));
            }
        }
        (Kind::Ok, out)
    }
}

fn failed(msg: String) -> (Kind, Vec<u8>) {
    (Kind::Error, msg.into_bytes())
}

/// A runtime error as jq says it: a string error raw, any other value as JSON.
fn error_text(e: JqError) -> String {
    match e.into_val() {
        Val::TStr(s) => String::from_utf8_lossy(&s).into_owned(),
        v => format!("{v} (not a string)"),
    }
}

/// The start of the program text where an error was found, for the message.
fn near(at: &str) -> String {
    let s: String = at.chars().take(20).collect();
    if s.is_empty() { "the end".into() } else { s }
}

/// jaq's native filters, with ours replacing `fromjson` and the message filters.
fn natives() -> impl Iterator<Item = jaq_core::native::Fun<Data>> {
    const REPLACED: [&str; 3] = ["fromjson", "stderr_empty", "debug_empty"];
    jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs())
        .filter(|(name, _, _)| !REPLACED.contains(name))
        .chain(
            ours()
                .into_vec()
                .into_iter()
                .map(jaq_core::native::run::<Data>),
        )
}

fn ours() -> Box<[Filter<RunPtr<Data>>]> {
    Box::new([
        ("fromjson", v(0), |cv| fromjson(cv.1)),
        ("stderr_empty", v(0), |cv| {
            // jq 1.7: the input raw and compact, not even a newline.
            say(&raw_or_json(&cv.1));
            Box::new(core::iter::empty())
        }),
        ("halt_error_message_empty", v(0), |cv| {
            // jq: a string as it is, any other value as JSON and a newline.
            let mut text = raw_or_json(&cv.1);
            if !matches!(cv.1, Val::TStr(_)) {
                text.push(b'\n');
            }
            say(&text);
            Box::new(core::iter::empty())
        }),
        ("debug_empty", v(0), |cv| {
            say(format!("[\"DEBUG:\",{}]\n", cv.1).as_bytes());
            Box::new(core::iter::empty())
        }),
        ("@csv", v(0), |cv| bome(row(&cv.1, Row::Csv))),
        ("@tsv", v(0), |cv| bome(row(&cv.1, Row::Tsv))),
    ])
}

fn raw_or_json(v: &Val) -> Vec<u8> {
    match v {
        Val::TStr(s) => s.to_vec(),
        other => other.to_string().into_bytes(),
    }
}

/// `fromjson`, with nesting bounded before the (recursive) parser sees the text.
fn fromjson<'a>(v: Val) -> ValXs<'a, Val> {
    let text = match v.try_as_utf8_bytes() {
        Ok(t) => t,
        Err(e) => return box_once(Err(Exn::from(e))),
    };
    if let Some(depth) = too_deep(text, MAX_PARSE_DEPTH) {
        return bome(Err(JqError::str(format_args!(
            "fromjson: the text nests deeper than {MAX_PARSE_DEPTH} levels (at least {depth}); \
             jq refuses it too"
        ))));
    }
    let results: Vec<_> = jaq_json::read::parse_many(text)
        .map(|r| {
            r.map_err(|e| Exn::from(JqError::str(format_args!("cannot parse {v} as JSON: {e}"))))
        })
        .collect();
    Box::new(results.into_iter())
}

/// The depth JSON text reaches, if it passes `limit`: brackets outside strings counted
/// without recursion.
pub fn too_deep(text: &[u8], limit: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in text {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(depth);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[derive(Clone, Copy)]
enum Row {
    Csv,
    Tsv,
}

/// `@csv` and `@tsv` as jq writes them: an array in, one line out; strings quoted with `""`
/// for a quote (CSV) or with `\t`, `\r`, `\n` and `\\` escaped (TSV); numbers and booleans
/// as JSON; null (and NaN) empty; arrays and objects refused.
fn row(v: &Val, kind: Row) -> Result<Val, JqError> {
    let name = match kind {
        Row::Csv => "csv",
        Row::Tsv => "tsv",
    };
    let Val::Arr(items) = v else {
        return Err(JqError::str(format_args!(
            "{} ({v}) cannot be {name}-formatted, only an array can be",
            type_name(v)
        )));
    };
    let mut line: Vec<u8> = Vec::new();
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            line.push(match kind {
                Row::Csv => b',',
                Row::Tsv => b'\t',
            });
        }
        match x {
            Val::Null => {}
            Val::Bool(b) => line.extend_from_slice(if *b { b"true" } else { b"false" }),
            Val::Num(_) => match x.to_string().as_str() {
                "NaN" => {}
                "Infinity" => line.extend_from_slice(b"1.7976931348623157e+308"),
                "-Infinity" => line.extend_from_slice(b"-1.7976931348623157e+308"),
                n => line.extend_from_slice(n.as_bytes()),
            },
            Val::TStr(s) | Val::BStr(s) => match kind {
                Row::Csv => {
                    line.push(b'"');
                    for &b in s.iter() {
                        if b == b'"' {
                            line.push(b'"');
                        }
                        line.push(b);
                    }
                    line.push(b'"');
                }
                Row::Tsv => {
                    for &b in s.iter() {
                        match b {
                            b'\t' => line.extend_from_slice(b"\\t"),
                            b'\r' => line.extend_from_slice(b"\\r"),
                            b'\n' => line.extend_from_slice(b"\\n"),
                            b'\\' => line.extend_from_slice(b"\\\\"),
                            b => line.push(b),
                        }
                    }
                }
            },
            other => {
                return Err(JqError::str(format_args!(
                    "{} ({other}) is not valid in a {name} row",
                    type_name(other)
                )));
            }
        }
    }
    Ok(Val::utf8_str(line))
}

fn type_name(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Num(_) => "number",
        Val::TStr(_) | Val::BStr(_) => "string",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `code` over `input` in this process (only for programs that cannot overflow).
    fn run(code: &str, input: &str) -> (Kind, String, String) {
        let r = Engine::compile(code).unwrap().run(input.as_bytes());
        (
            r.kind,
            String::from_utf8(r.body).unwrap(),
            String::from_utf8(r.messages).unwrap(),
        )
    }

    fn ok(code: &str, input: &str) -> String {
        let (kind, body, _) = run(code, input);
        assert_eq!(kind, Kind::Ok, "{code}: {body}");
        body
    }

    #[test]
    fn strings_print_raw_and_values_compact() {
        let v = r#"{"files": [{"id": "1", "name": "a"}, {"id": "2", "name": "b"}]}"#;
        assert_eq!(ok(".files[].name", v), "a\nb\n");
        assert_eq!(ok(".files | map(.id)", v), "[\"1\",\"2\"]\n");
        assert_eq!(ok(".files | length", v), "2\n");
    }

    #[test]
    fn csv_follows_jq() {
        let input = r#"["plain", "a,b", "say \"hi\"", "two\nlines", "tab\there", "é中🙂", 1, 1.5, -2, true, false, null]"#;
        assert_eq!(
            ok("@csv", input),
            "\"plain\",\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"tab\there\",\"é中🙂\",1,1.5,-2,true,false,\n"
        );
        // A format string applies the format to each interpolation.
        assert_eq!(
            ok(r#"@csv "row: \(.[0:2])""#, input),
            "row: \"plain\",\"a,b\"\n"
        );
        let (kind, msg, _) = run("@csv", r#"[[1]]"#);
        assert_eq!(kind, Kind::Error);
        assert!(msg.contains("not valid in a csv row"), "{msg}");
        let (kind, msg, _) = run("@csv", r#"{"a": 1}"#);
        assert_eq!(kind, Kind::Error);
        assert!(msg.contains("only an array can be"), "{msg}");
    }

    #[test]
    fn tsv_follows_jq() {
        let input = r#"["plain", "a,b", "say \"hi\"", "two\nlines", "tab\there", "back\\slash", "cr\rx", "é中🙂", 7, null, true]"#;
        assert_eq!(
            ok("@tsv", input),
            "plain\ta,b\tsay \"hi\"\ttwo\\nlines\ttab\\there\tback\\\\slash\tcr\\rx\té中🙂\t7\t\ttrue\n"
        );
        let (kind, msg, _) = run("@tsv", r#"[{}]"#);
        assert_eq!(kind, Kind::Error);
        assert!(msg.contains("not valid in a tsv row"), "{msg}");
    }

    #[test]
    fn env_is_the_process_environment() {
        // SAFETY-free: reading a variable every test process has.
        let path = std::env::var("PATH").unwrap_or_default();
        assert_eq!(ok("$ENV.PATH", "null"), format!("{path}\n"));
        assert_eq!(ok("$ENV | type", "null"), "object\n");
    }

    #[test]
    fn fromjson_refuses_nesting_deeper_than_jq_does() {
        let deep = "[".repeat(MAX_PARSE_DEPTH + 1);
        let input = serde_json::to_string(&deep).unwrap();
        let (kind, msg, _) = run("fromjson", &input);
        assert_eq!(kind, Kind::Error);
        assert!(msg.contains("deeper than 10000"), "{msg}");
        // Brackets inside strings do not count; ordinary text still parses.
        let text = serde_json::to_string(&format!("{{\"a\": \"{deep}\"}}")).unwrap();
        assert_eq!(ok("fromjson | .a | length", &text), "10001\n");
        assert_eq!(ok(r#""[1, 2]" | fromjson | add"#, "null"), "3\n");
    }

    #[test]
    fn messages_are_kept_and_halt_error_halts() {
        let (kind, body, msgs) = run(r#"1, ("oops\n" | halt_error), 2"#, "null");
        assert_eq!(kind, Kind::Halt(5));
        assert_eq!(body, "1\n", "the results before the halt");
        assert_eq!(msgs, "oops\n");
        let (kind, _, msgs) = run(r#"{"a": 1} | halt_error(3)"#, "null");
        assert_eq!(kind, Kind::Halt(3));
        assert_eq!(msgs, "{\"a\":1}\n");
        let (kind, body, msgs) = run(r#"debug | "x" | stderr | empty"#, "[1]");
        assert_eq!(kind, Kind::Ok);
        assert_eq!(body, "");
        assert_eq!(msgs, "[\"DEBUG:\",[1]]\nx");
    }

    #[test]
    fn errors_say_what_jq_says() {
        let (kind, msg, _) = run(r#"error("custom")"#, "null");
        assert_eq!((kind, msg.as_str()), (Kind::Error, "custom"));
        let (kind, msg, _) = run(".a", "[1]");
        assert_eq!(kind, Kind::Error);
        assert!(msg.contains("cannot index"), "{msg}");
    }

    #[test]
    fn bad_programs_are_refused_at_compile_time() {
        for bad in [".files[", "nosuchfilter", ".a | $x"] {
            assert!(Engine::compile(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn depth_counting_skips_strings_and_escapes() {
        assert_eq!(too_deep(b"[[[", 2), Some(3));
        assert_eq!(too_deep(b"[[]][[]]", 2), None);
        assert_eq!(too_deep(br#"["\"[[[[", 1]"#, 1), None);
        assert_eq!(too_deep(br#"{"a":{"b":[1]}}"#, 2), Some(3));
    }
}
