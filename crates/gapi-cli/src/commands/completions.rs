//! Shell completion: `gapi completions bash|zsh|fish|powershell` prints a small script that
//! asks `gapi __complete WORDS...` for candidates on every Tab, so completions follow the
//! Discovery documents (API names, versions, resources, methods, `-p` names, enum values)
//! without a generated file per API.
//!
//! `__complete` gets the words after `gapi` up to the cursor, the last one being the word
//! being completed (empty after a space), and prints one candidate per line. It loads at most
//! one document, so it answers in a few milliseconds.

use std::process::ExitCode;

use clap::CommandFactory;
use gapi_discovery::{RestDescription, Target};

use crate::cli::{CallArgs, Cli, CompletionsArgs, Shell};

/// `gapi completions SHELL`: prints the script.
pub fn run(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    print!("{}", script(args.shell));
    Ok(ExitCode::SUCCESS)
}

/// `gapi __complete WORDS...`: prints the candidates.
pub fn complete_command(words: &[String]) -> ExitCode {
    for c in candidates(words) {
        println!("{c}");
    }
    ExitCode::SUCCESS
}

/// The completion script for a shell.
pub fn script(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => BASH,
        Shell::Zsh => ZSH,
        Shell::Fish => FISH,
        Shell::Powershell => POWERSHELL,
    }
}

const BASH: &str = r#"# gapi completion for bash: source it, or save it as
# /etc/bash_completion.d/gapi (or ~/.local/share/bash-completion/completions/gapi).
_gapi() {
    local line="${COMP_LINE:0:COMP_POINT}" words cur prefix c
    read -ra words <<< "$line"
    [[ "$line" =~ [[:space:]]$ ]] && words+=("")
    local w="${words[${#words[@]}-1]}"
    cur="${COMP_WORDS[COMP_CWORD]}"
    [[ "$cur" == "=" || "$cur" == ":" ]] && cur=""
    prefix="${w%"$cur"}"
    COMPREPLY=()
    local IFS=$'\n'
    for c in $(gapi __complete "${words[@]:1}" 2>/dev/null); do
        COMPREPLY+=("${c#"$prefix"}")
        [[ "$c" == *= ]] && compopt -o nospace 2>/dev/null
    done
}
complete -o default -F _gapi gapi
"#;

const ZSH: &str = r#"#compdef gapi
# gapi completion for zsh: save as _gapi in a directory of $fpath, or source it.
_gapi() {
    local -a c
    c=("${(@f)$(gapi __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    compadd -Q -S '' -- ${(M)c:#*=}
    compadd -Q -- ${c:#*=}
}
if (( $+functions[compdef] )); then compdef _gapi gapi; fi
"#;

const FISH: &str = r#"# gapi completion for fish: save as ~/.config/fish/completions/gapi.fish
complete -c gapi -f -a '(gapi __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
"#;

const POWERSHELL: &str = r#"# gapi completion for PowerShell: add to $PROFILE
Register-ArgumentCompleter -Native -CommandName gapi -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 |
        Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.ToString() })
    if ($wordToComplete -eq '') { $words += '' }
    gapi __complete @words 2>$null | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
"#;

/// Candidates for the last word, given the words before it.
pub fn candidates(words: &[String]) -> Vec<String> {
    let Some((cur, before)) = words.split_last() else {
        return Vec::new();
    };
    let mut out = if before.is_empty() {
        first_word(cur)
    } else {
        let (head, rest) = (&before[0], &before[1..]);
        match head.as_str() {
            "describe" | "help" => match rest.split_first() {
                None => api_names(cur),
                Some((api, path)) => api_words(api, path, cur, false),
            },
            "completions" => ["bash", "zsh", "fish", "powershell"]
                .map(String::from)
                .to_vec(),
            _ if fixed_subcommands().iter().any(|s| s == head) => subcommand_flags(head, rest, cur),
            api if !api.starts_with('-') => crate::cli::helpers::complete(api, rest, cur)
                .unwrap_or_else(|| api_words(api, rest, cur, true)),
            _ => Vec::new(),
        }
    };
    out.retain(|c| c.starts_with(cur.as_str()));
    out.dedup();
    out
}

fn fixed_subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .chain(["help".to_string()])
        .collect()
}

fn first_word(cur: &str) -> Vec<String> {
    if cur.starts_with('-') {
        return long_flags(&Cli::command());
    }
    let mut out = fixed_subcommands();
    out.extend(api_names(cur));
    out
}

fn long_flags(cmd: &clap::Command) -> Vec<String> {
    cmd.get_arguments()
        .filter(|a| !a.is_hide_set())
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
        .collect()
}

fn subcommand_flags(head: &str, rest: &[String], cur: &str) -> Vec<String> {
    let cmd = Cli::command();
    let Some(mut sub) = cmd.find_subcommand(head).cloned() else {
        return Vec::new();
    };
    // `gapi auth login --<Tab>`: descend into nested subcommands named so far.
    for w in rest {
        match sub.find_subcommand(w).cloned() {
            Some(s) => sub = s,
            None => break,
        }
    }
    if cur.starts_with('-') {
        long_flags(&sub)
    } else {
        sub.get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect()
    }
}

/// API names, and `name:version` once the word has a colon.
fn api_names(cur: &str) -> Vec<String> {
    let entries = gapi_discovery::bundle::entries();
    if let Some((name, _)) = cur.split_once(':') {
        return gapi_discovery::bundle::versions(name)
            .map(|v| format!("{name}:{v}"))
            .collect();
    }
    let mut names: Vec<String> = entries
        .iter()
        .filter(|e| e.name.starts_with(cur))
        .map(|e| e.name.to_string())
        .collect();
    names.dedup();
    names
}

/// Words after an API: resources and methods, flags, `-p` names and enum values.
fn api_words(api: &str, rest: &[String], cur: &str, call: bool) -> Vec<String> {
    let (name, version) = match api.split_once(':') {
        Some((n, v)) => (n.to_string(), v.to_string()),
        None => match gapi_discovery::bundle::preferred_version(api) {
            Some(v) => (api.to_string(), v.to_string()),
            None => return Vec::new(),
        },
    };
    let Ok(doc) = gapi_client::service::bundled_document(&name, &version) else {
        return Vec::new();
    };
    // The resource and method words, skipping flags and their values.
    let mut path: Vec<&str> = Vec::new();
    let mut prev_flag: Option<&str> = None;
    for w in rest {
        if let Some(f) = prev_flag.take()
            && takes_value(f)
        {
            continue;
        }
        if w.starts_with('-') {
            prev_flag = Some(w.as_str());
        } else {
            path.push(w.as_str());
        }
    }
    let last_flag = rest
        .last()
        .map(String::as_str)
        .filter(|w| w.starts_with('-'));
    match last_flag {
        Some("-p" | "--param") => return param_words(&doc, &path, cur),
        Some("--format") => {
            return ["json", "ndjson", "table", "csv"]
                .map(String::from)
                .to_vec();
        }
        Some(f) if takes_value(f) => return Vec::new(),
        _ => {}
    }
    if cur.starts_with('-') {
        return if call {
            long_flags(&CallArgs::command())
        } else {
            Vec::new()
        };
    }
    match doc.lookup_prefix(&path) {
        Ok(found) => {
            let (resources, methods) = match found.target {
                Target::Api => (&doc.resources, &doc.methods),
                Target::Resource(r) => (&r.resources, &r.methods),
                Target::Method(_) => return Vec::new(),
            };
            let mut out: Vec<String> = resources.keys().map(str::to_string).collect();
            out.extend(methods.keys().map(str::to_string));
            out.sort();
            out
        }
        Err(_) => Vec::new(),
    }
}

/// Whether a call flag takes a value (the next word is not a resource or method).
fn takes_value(flag: &str) -> bool {
    let name = flag.trim_start_matches('-');
    if flag.contains('=') {
        return false;
    }
    CallArgs::command().get_arguments().any(|a| {
        let matches = a.get_long() == Some(name)
            || (flag.len() == 2 && a.get_short().is_some_and(|s| name == s.to_string()));
        matches && a.get_action().takes_values()
    })
}

/// `-p` candidates: `name=` for each parameter, or `name=value` for enum values.
fn param_words(doc: &RestDescription, path: &[&str], cur: &str) -> Vec<String> {
    let Ok(found) = doc.lookup(path) else {
        return Vec::new();
    };
    let Target::Method(m) = found.target else {
        return Vec::new();
    };
    let params = m.parameters.iter().chain(doc.parameters.iter());
    if let Some((name, _)) = cur.split_once('=') {
        let Some(p) = m.parameters.get(name).or_else(|| doc.parameters.get(name)) else {
            return Vec::new();
        };
        if !p.enum_.is_empty() {
            return p.enum_.iter().map(|v| format!("{name}={v}")).collect();
        }
        if p.type_name() == "boolean" {
            return vec![format!("{name}=true"), format!("{name}=false")];
        }
        return Vec::new();
    }
    params.map(|(n, _)| format!("{n}=")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(words: &[&str]) -> Vec<String> {
        candidates(&words.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn api_names_versions_and_subcommands() {
        let first = c(&["dri"]);
        assert!(
            first.contains(&"drive".to_string()) && first.contains(&"driveactivity".to_string()),
            "{first:?}"
        );
        assert!(c(&["au"]).contains(&"auth".to_string()));
        assert_eq!(c(&["drive:"]), ["drive:v2", "drive:v3"]);
        assert!(c(&["--pro"]).contains(&"--profile".to_string()));
    }

    #[test]
    fn resources_methods_and_flags() {
        assert_eq!(c(&["drive", "fi"]), ["files"]);
        assert!(c(&["drive", "files", ""]).contains(&"list".to_string()));
        assert_eq!(
            c(&["drive", "files", "list", "--pa"]),
            ["--param", "--params", "--page-all", "--page-limit"]
        );
        // Flags with values are skipped when finding the path.
        assert!(c(&["drive", "--format", "table", "files", "l"]).contains(&"list".to_string()));
        assert_eq!(
            c(&["drive", "files", "list", "--format", ""]),
            ["json", "ndjson", "table", "csv"]
        );
        assert_eq!(c(&["describe", "drive", "ab"]), ["about"]);
        // The clash rule: a longer path goes into the resource.
        let deep = c(&[
            "identitytoolkit:v1",
            "projects",
            "tenants",
            "accounts",
            "batchC",
        ]);
        assert_eq!(deep, ["batchCreate"]);
    }

    #[test]
    fn parameter_names_and_enum_values() {
        let names = c(&["drive", "files", "list", "-p", "page"]);
        assert_eq!(names, ["pageSize=", "pageToken="]);
        let corpora = c(&["drive", "files", "list", "-p", "corpus="]);
        assert_eq!(corpora, ["corpus=domain", "corpus=user"]);
        assert_eq!(
            c(&["drive", "files", "list", "-p", "supportsAllDrives="]),
            ["supportsAllDrives=true", "supportsAllDrives=false"]
        );
        assert_eq!(
            c(&["drive", "files", "list", "-p", "prettyPrint="]),
            ["prettyPrint=true", "prettyPrint=false"]
        );
        assert_eq!(
            c(&["drive", "files", "list", "-p", "q="]),
            Vec::<String>::new()
        );
        assert!(c(&["drive", "files", "list", "-p", "al"]).contains(&"alt=".to_string()));
    }
}
