//! `gapi skills generate [API...] -o DIR`: Agent Skills (`SKILL.md` files) for agents that
//! read files rather than call tools: one per API (what it is for, the methods that matter
//! as exact `gapi` command lines, its scopes, pagination, the policy flags) and one for
//! gapi itself, generated from the bundled Discovery documents. Every command line in a
//! `sh` block runs as written (with `--dry-run` for API calls): a test checks it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use gapi_discovery::{RestDescription, RestMethod};

use crate::cli::SkillsCommand;

/// The APIs written when none is named.
pub const WELL_KNOWN: &[&str] = &[
    "drive", "gmail", "calendar", "sheets", "docs", "tasks", "people", "youtube", "storage",
    "bigquery", "pubsub", "compute",
];

/// Runs `gapi skills ...`.
pub fn run(cmd: SkillsCommand) -> anyhow::Result<ExitCode> {
    let SkillsCommand::Generate(args) = cmd;
    let names: Vec<String> = if args.apis.is_empty() {
        WELL_KNOWN.iter().map(|s| s.to_string()).collect()
    } else {
        args.apis.clone()
    };
    let mut written = Vec::new();
    let mut docs = Vec::new();
    for word in &names {
        let (api, version) = crate::call::document::api_and_version(word)?;
        docs.push(crate::call::document::load_document(&api, &version)?);
    }
    for doc in &docs {
        let text = api_skill(doc, args.methods.max(1));
        written.push(write(&args.output, &doc.name, &text)?);
    }
    written.push(write(&args.output, "gapi", &gapi_skill(&docs))?);
    for path in written {
        println!("{}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn write(dir: &Path, name: &str, text: &str) -> anyhow::Result<PathBuf> {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    let path = folder.join("SKILL.md");
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// How much a method matters to someone new to the API: common verbs first, methods of the
/// API's big resources (the ones with the most methods: Drive's `files`, Gmail's
/// `users.messages`) before small ones, shallow resources before nested ones.
fn weight(dotted: &str, m: &RestMethod, resource_size: usize) -> i32 {
    let verb = dotted.rsplit('.').next().unwrap_or("");
    let depth = dotted.matches('.').count() as i32;
    let by_verb = match verb {
        "list" => 100,
        "get" => 90,
        "send" | "create" | "insert" => 85,
        "search" | "query" | "batchGet" | "batchUpdate" => 75,
        "update" | "patch" | "modify" | "append" => 65,
        "delete" | "trash" => 55,
        "watch" | "stop" => 10,
        _ => 40,
    };
    let deprecated = if m.deprecated { 200 } else { 0 };
    let noun = resource_of(dotted).rsplit('.').next().unwrap_or("");
    let core = if CORE_NOUNS.contains(&noun) { 60 } else { 0 };
    by_verb + core + 8 * resource_size.min(12) as i32 - 25 * depth - deprecated
}

/// Resources people mean when they use an API (Drive's files, Gmail's messages, Compute's
/// instances): their methods come first.
const CORE_NOUNS: &[&str] = &[
    "files",
    "messages",
    "threads",
    "drafts",
    "events",
    "instances",
    "values",
    "objects",
    "buckets",
    "tasks",
    "tasklists",
    "topics",
    "subscriptions",
    "connections",
    "people",
    "videos",
    "playlists",
    "datasets",
    "tables",
    "jobs",
    "spreadsheets",
    "documents",
];

/// The resource of a dotted method path (`users.messages` of `users.messages.send`).
fn resource_of(dotted: &str) -> &str {
    dotted.rsplit_once('.').map(|(r, _)| r).unwrap_or("")
}

/// The methods a skill shows, at most `n`, at most 5 per resource.
fn chosen(doc: &RestDescription, n: usize) -> Vec<(String, &RestMethod)> {
    let order = doc.all_methods();
    let size = |d: &str| {
        order
            .iter()
            .filter(|(o, _)| resource_of(o) == resource_of(d))
            .count()
    };
    let mut all: Vec<(i32, String, &RestMethod)> = order
        .iter()
        .map(|(d, m)| (weight(d, m, size(d)), d.clone(), *m))
        .collect();
    all.sort_by(|(wa, a, _), (wb, b, _)| wb.cmp(wa).then(a.cmp(b)));
    let mut picked: Vec<(String, &RestMethod)> = Vec::new();
    for (_, d, m) in all {
        if picked.len() >= n {
            break;
        }
        let same = picked
            .iter()
            .filter(|(p, _)| resource_of(p) == resource_of(&d))
            .count();
        if same < 5 {
            picked.push((d, m));
        }
    }
    // In the document's order, so related methods sit together.
    let place = |d: &str| order.iter().position(|(o, _)| o == d).unwrap_or(usize::MAX);
    picked.sort_by_key(|(d, _)| place(d));
    picked
}

/// A value for a parameter that fits its pattern: `projects/PROJECT/topics/TOPIC` from
/// `^projects/[^/]+/topics/[^/]+$`, else an upper-case placeholder of its name.
fn example(name: &str, pattern: Option<&str>) -> String {
    let placeholder = {
        let mut s = String::new();
        for c in name.chars() {
            if c.is_ascii_uppercase() && !s.is_empty() {
                s.push('_');
            }
            s.push(c.to_ascii_uppercase());
        }
        s
    };
    let Some(p) = pattern else {
        return placeholder;
    };
    // A variable segment as one marker, so splitting at `/` keeps `[^/]+` whole.
    let p = p
        .trim_start_matches('^')
        .trim_end_matches('$')
        .replace("[^/]+", "\u{1}")
        .replace("[^/]*", "\u{1}")
        .replace(".+", "\u{1}")
        .replace(".*", "\u{1}");
    let mut out = String::new();
    let mut previous = "ID".to_string();
    for segment in p.split('/') {
        if !out.is_empty() {
            out.push('/');
        }
        if segment == "\u{1}" {
            // `projects/[^/]+` -> `projects/PROJECT`.
            let singular = previous.trim_end_matches('s').to_ascii_uppercase();
            out.push_str(if singular.is_empty() { "ID" } else { &singular });
        } else {
            out.push_str(segment);
            previous = segment.to_string();
        }
    }
    if out.chars().any(|c| "[](){}|\\+*?^$".contains(c)) {
        // A pattern too rich to fill in: a lower-case name (`my-project`) fits the usual
        // ones for ids (letters, digits and hyphens).
        return format!("my-{}", placeholder.to_ascii_lowercase().replace('_', "-"));
    }
    out
}

/// `s` as one shell word.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.,:/=@+%".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The command line that calls `dotted` with its required parameters.
fn command_line(doc: &RestDescription, dotted: &str, m: &RestMethod) -> String {
    let mut line = format!("gapi {} {}", doc.name, dotted.replace('.', " "));
    for (name, p) in m.parameters.iter() {
        if !p.required {
            continue;
        }
        let numeric = matches!(p.type_name(), "integer" | "number")
            || matches!(
                p.format.as_deref(),
                Some("int64" | "uint64" | "int32" | "uint32")
            );
        let value = match (p.enum_.first(), p.type_name()) {
            (Some(first), _) => first.clone(),
            (None, "boolean") => "true".into(),
            (None, _) if numeric => "1".into(),
            (None, _) => example(name, p.pattern.as_deref()),
        };
        let _ = write!(line, " -p {}", shell_word(&format!("{name}={value}")));
    }
    if dotted.ends_with(".list") && m.parameters.get("pageSize").is_some() {
        line.push_str(" -p pageSize=10");
    } else if dotted.ends_with(".list") && m.parameters.get("maxResults").is_some() {
        line.push_str(" -p maxResults=10");
    }
    if m.request.is_some() {
        line.push_str(" --json '{}'");
    }
    line
}

fn summary(text: &str) -> String {
    gapi_client::method_search::summary(text).replace('\n', " ")
}

/// The skill of one API.
fn api_skill(doc: &RestDescription, n: usize) -> String {
    let id = format!("{}:{}", doc.name, doc.version);
    let mut s = String::new();
    let about = summary(&doc.description);
    let _ = writeln!(s, "---");
    let _ = writeln!(s, "name: gapi-{}", doc.name);
    let _ = writeln!(
        s,
        "description: Call the {} ({id}) with the gapi command line. {}",
        doc.title,
        about.replace(':', " -")
    );
    let _ = writeln!(s, "---\n");
    let _ = writeln!(s, "# {} ({id})\n", doc.title);
    let _ = writeln!(s, "{}\n", doc.description.trim());
    let _ = writeln!(
        s,
        "Every call is `gapi {} <resource>... <method> [-p name=value]... [--json BODY]`. \
         `gapi {} --help` lists every resource and method; `gapi describe {} <resource> \
         <method>` shows a method's parameters and body. Add `--dry-run` to see the request \
         without sending it.\n",
        doc.name, doc.name, doc.name
    );
    let methods = chosen(doc, n);
    let _ = writeln!(s, "## Methods that matter\n");
    for (dotted, m) in &methods {
        let _ = writeln!(
            s,
            "### {dotted} ({} {})\n\n{}\n",
            m.http_method_or_get(),
            m.path,
            summary(&m.description)
        );
        let _ = writeln!(s, "```sh\n{}\n```\n", command_line(doc, dotted, m));
        let notes: Vec<&str> = [
            (
                m.supports_media_upload,
                "upload content with `--upload FILE`",
            ),
            (
                m.supports_media_download,
                "download content with `-o FILE` (or `-p alt=media`)",
            ),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, n)| *n)
        .collect();
        if !notes.is_empty() {
            let _ = writeln!(s, "Also: {}.\n", notes.join("; "));
        }
    }
    let _ = writeln!(s, "## Scopes\n");
    let mut used: Vec<&String> = methods.iter().flat_map(|(_, m)| &m.scopes).collect();
    used.sort();
    used.dedup();
    for scope in used {
        let what = doc
            .auth
            .oauth2
            .scopes
            .get(scope)
            .map(|i| i.description.trim().to_string())
            .unwrap_or_default();
        let short = scope
            .strip_prefix("https://www.googleapis.com/auth/")
            .unwrap_or(scope);
        let _ = writeln!(s, "- `{short}`: {what}");
    }
    let _ = writeln!(
        s,
        "\nA call asks for a scope the login lacks with a clear error; add one with \
         `gapi auth login --add-scope SCOPE`.\n"
    );
    let paged = methods
        .iter()
        .find(|(_, m)| m.parameters.get("pageToken").is_some());
    let _ = writeln!(s, "## Pagination\n");
    match paged {
        Some((dotted, _)) => {
            let _ = writeln!(
                s,
                "List methods return `nextPageToken`; pass it back as `-p pageToken=...`, or \
                 add `--page-all` (with `--page-limit N`) to follow every page, e.g. \
                 `gapi {} {} --page-all --format ndjson`.\n",
                doc.name,
                dotted.replace('.', " ")
            );
        }
        None => {
            let _ = writeln!(
                s,
                "The methods above return whole answers; where a list method has \
                 `pageToken`, `--page-all` follows every page.\n"
            );
        }
    }
    let first = methods
        .first()
        .map(|(d, _)| d.split('.').next().unwrap_or(d).to_string())
        .unwrap_or_default();
    let _ = writeln!(s, "## Limits (policy)\n");
    let _ = writeln!(
        s,
        "- `--read-only`: only GET methods (changes nothing; a GET still sends its parameters).\n\
         - `--allow '{name}.{first}.*'`: only these methods (repeatable; `*` is any run).\n\
         - A person can pin limits to the profile: `gapi auth policy set --read-only --allow \
         '{name}.*' --deny '{name}.{first}.delete'`; per-call flags only narrow it, and only a \
         person at a terminal can widen or clear it.\n\
         - Refused calls send nothing and exit 2, naming the rule.",
        name = doc.name
    );
    s
}

/// The skill of gapi itself: finding, describing, calling, limits, MCP.
fn gapi_skill(docs: &[RestDescription]) -> String {
    let apis = docs
        .iter()
        .map(|d| format!("`{}`", d.name))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "---\n\
name: gapi\n\
description: Call any Google API (Drive, Gmail, Calendar, Sheets...) from the command line with \
the user's stored OAuth login - find the method for a task, read its parameters, call it, page \
through lists, upload and download files.\n\
---\n\n\
# gapi: any Google API from the command line\n\n\
gapi knows every public Google API from its Discovery document. Skills for {apis} sit beside \
this one.\n\n\
## Find, read, call\n\n\
```sh\n\
gapi search send an email\n\
gapi describe gmail users messages send\n\
gapi drive files list -p pageSize=5 -p 'q=trashed=false' --dry-run\n\
```\n\n\
- `gapi search WORDS` ranks methods for a task in plain words (best first).\n\
- `gapi describe API RESOURCE... METHOD` lists parameters (`-p name=value`), the body \
(`--json '{{...}}'` or `--json @file.json`) and the scopes.\n\
- `gapi API RESOURCE... METHOD [flags]` calls it and prints JSON. `--dry-run` prints the \
request instead; `--page-all` follows every page; `--format ndjson|table|csv`; `--jq EXPR` \
filters; `--fields MASK` asks for fewer fields; `-o FILE` writes the answer or downloads media; \
`--upload FILE` sends media.\n\
- `--batch FILE` sends many calls (NDJSON lines `{{\"method\",\"params\",\"body\"}}`) as HTTP batches.\n\n\
## Credentials\n\n\
A person logs in once (the agent should not): `gapi auth login --scope drive` (or \
`--add-scope SCOPE` to add one). `gapi auth status` shows the account and scopes; `--profile \
NAME` picks another login.\n\n\
## Limits\n\n\
```sh\n\
gapi auth policy show\n\
gapi auth policy show --all-profiles\n\
```\n\n\
A profile may carry a policy (`gapi auth policy set --read-only --allow 'drive.*' --deny \
'drive.files.delete'`), and one may hold for every profile and identity (`--all-profiles`): \
every call obeys both; `--read-only` and `--allow PATTERN` on a call only narrow them, and \
under a policy `gapi auth print-access-token` needs a person. A refused call sends nothing and exits 2 naming the rule. Exit codes: 0 ok, 2 usage \
or refused, 3 credentials, 4 API 4xx, 5 API 5xx, 6 network.\n\n\
## As an MCP server\n\n\
`gapi mcp` serves three tools over stdio (`search_methods`, `describe_method`, `call_method`); \
`gapi mcp --upstream URL` adds the tools of a hosted MCP server, called with the same login.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_fit_patterns() {
        assert_eq!(
            example("name", Some("^projects/[^/]+/topics/[^/]+$")),
            "projects/PROJECT/topics/TOPIC"
        );
        assert_eq!(example("fileId", None), "FILE_ID");
        assert_eq!(
            example("project", Some("[a-z](?:[-a-z0-9]{0,61})?")),
            "my-project"
        );
    }
}
