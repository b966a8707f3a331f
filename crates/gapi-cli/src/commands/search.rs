//! `gapi search WORDS...`: find the method for a task in plain words, ranked best first, with
//! the same library search that `gapi mcp` offers agents as `search_methods`.

use std::io::Write;
use std::process::ExitCode;

use gapi_client::method_search::{MethodEntry, search};
use serde_json::json;

use crate::cli::{SearchArgs, SearchFormat};

/// The widest summary a table row shows (`--format json` has it whole).
const SUMMARY_WIDTH: usize = 80;

/// Searches and prints.
pub fn run(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let query = args.words.join(" ");
    if let Some(api) = &args.api {
        check_api(api)?;
    }
    let hits = search(&query, args.api.as_deref(), usize::from(args.limit));
    match args.format {
        SearchFormat::Json => {
            let methods: Vec<_> = hits
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    json!({"rank": i + 1, "api": h.api, "title": h.title, "method": h.method,
                        "id": h.id, "httpMethod": h.http_method, "summary": h.summary,
                        "command": command(h), "score": h.score})
                })
                .collect();
            let out = json!({"query": query, "methods": methods});
            print(&format!("{}\n", serde_json::to_string_pretty(&out)?))?;
        }
        SearchFormat::Table if hits.is_empty() => {
            eprintln!("No method matches {query:?}; try other words, or `gapi apis` for the APIs.");
        }
        SearchFormat::Table => print(&table(&hits))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes to stdout; a reader that went away (`gapi search ... | head -1`) is not an error.
fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// An unknown `--api` is a mistake to point out, not an empty result.
fn check_api(api: &str) -> anyhow::Result<()> {
    let (name, version) = match api.split_once(':') {
        Some((n, v)) => (n, Some(v)),
        None => (api, None),
    };
    let versions: Vec<&str> = gapi_discovery::bundle::versions(name).collect();
    if versions.is_empty() {
        return Err(crate::exit::usage(format!(
            "--api {api}: gapi knows no API named {name:?}; `gapi apis` lists them"
        )));
    }
    if let Some(v) = version
        && !versions.contains(&v)
    {
        return Err(crate::exit::usage(format!(
            "--api {api}: {name} has no version {v:?}; bundled versions: {}",
            versions.join(", ")
        )));
    }
    Ok(())
}

/// The command line that calls a method: `gapi drive files list`, with the version only when
/// it is not the one gapi picks by itself.
fn command(h: &MethodEntry) -> String {
    let (name, version) = h.api.split_once(':').unwrap_or((&h.api, ""));
    let api = if gapi_discovery::bundle::preferred_version(name) == Some(version) {
        name
    } else {
        &h.api
    };
    format!("gapi {api} {}", h.method.replace('.', " "))
}

fn table(hits: &[MethodEntry]) -> String {
    let rows: Vec<[String; 5]> = hits
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let summary = if h.summary.chars().count() > SUMMARY_WIDTH {
                let cut: String = h.summary.chars().take(SUMMARY_WIDTH - 3).collect();
                format!("{}...", cut.trim_end())
            } else {
                h.summary.clone()
            };
            [
                (i + 1).to_string(),
                h.id.clone(),
                h.http_method.clone(),
                h.api.clone(),
                summary,
            ]
        })
        .collect();
    let header = ["#", "METHOD", "VERB", "API", "SUMMARY"].map(String::from);
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:>w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if let Some(first) = hits.first() {
        out.push_str(&format!(
            "\nCall one: {} [-p name=value]... (add --help for its parameters)\n",
            command(first)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(api: &str, id: &str, method: &str, summary: &str) -> MethodEntry {
        MethodEntry {
            api: api.into(),
            title: String::new(),
            method: method.into(),
            id: id.into(),
            http_method: "GET".into(),
            summary: summary.into(),
            score: 1.0,
        }
    }

    #[test]
    fn command_names_the_version_only_when_not_preferred() {
        let h = entry("drive:v3", "drive.files.list", "files.list", "");
        assert_eq!(command(&h), "gapi drive files list");
        let h = entry("drive:v2", "drive.files.list", "files.list", "");
        assert_eq!(command(&h), "gapi drive:v2 files list");
    }

    #[test]
    fn table_aligns_columns_and_cuts_long_summaries() {
        let long = "x".repeat(200);
        let t = table(&[
            entry("drive:v3", "drive.files.list", "files.list", "Lists files."),
            entry(
                "gmail:v1",
                "gmail.users.labels.list",
                "users.labels.list",
                &long,
            ),
        ]);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("#  METHOD"), "{t}");
        assert_eq!(lines[1].find("GET"), lines[2].find("GET"), "{t}");
        assert!(lines[2].ends_with("..."), "{t}");
        assert!(lines[2].chars().count() < 200, "{t}");
        assert!(t.contains("Call one: gapi drive files list"), "{t}");
    }

    #[test]
    fn unknown_api_is_refused_with_the_versions() {
        assert!(check_api("drive").is_ok());
        assert!(check_api("drive:v2").is_ok());
        let e = check_api("drive:v9").unwrap_err().to_string();
        assert!(e.contains("v2, v3"), "{e}");
        assert!(check_api("nosuchapi").is_err());
    }
}
